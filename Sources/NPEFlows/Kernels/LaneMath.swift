/// Float arithmetic on ``Lanes``: eight independent elements side by side, one per SIMD lane.
///
/// The spline kernels run over many elements at once, one element per lane, so every step of the per-element
/// algorithm (softmaxes, bin search, the rational-quadratic formula) is one vector instruction for eight
/// elements. Branches become lane masks (`replacing(with:where:)`).
///
/// Only operations that compile to straight vector code are used here: on Linux the standard library's generic
/// `pointwiseMin`/`pointwiseMax` are out-of-line calls and `squareRoot()` goes through `sqrtf` lane by lane, so
/// this file spells minimum, maximum and the exponent arithmetic with masks and bit casts. Transcendentals are
/// polynomial (no libm call), accurate to a few Float ulps, which is what the scalar kernels they replace had.
typealias Lanes = SIMD8<Float>
/// The lanes' bit patterns, for exponent arithmetic.
typealias LaneBits = SIMD8<Int32>

extension SIMD8 where Scalar == Float {
    @inline(__always) var bits: LaneBits { unsafeBitCast(self, to: LaneBits.self) }
    @inline(__always) init(bits: LaneBits) { self = unsafeBitCast(bits, to: Lanes.self) }

    /// Lane-wise minimum and maximum (vector `min`/`max`, unlike the standard library's out-of-line generic).
    @inline(__always) func lanesMin(_ other: Lanes) -> Lanes { replacing(with: other, where: other .< self) }
    @inline(__always) func lanesMax(_ other: Lanes) -> Lanes { replacing(with: other, where: other .> self) }
    @inline(__always) func clamped(_ low: Float, _ high: Float) -> Lanes {
        lanesMax(Lanes(repeating: low)).lanesMin(Lanes(repeating: high))
    }
    /// |x|, by clearing the sign bit.
    @inline(__always) var absolute: Lanes { Lanes(bits: bits & 0x7FFF_FFFF) }
    /// √x lane by lane (x ≥ 0). The scalar square root compiles to one `sqrtss` per lane behind a sign test.
    @inline(__always) var laneSquareRoot: Lanes {
        var result = Lanes()
        for lane in 0..<Lanes.scalarCount { result[lane] = self[lane].squareRoot() }
        return result
    }

    /// Gathers `base[lane · stride]` for each lane: one parameter of eight consecutive elements.
    @inline(__always) init(gathering base: UnsafePointer<Float>, stride: Int) {
        self.init()
        for lane in 0..<Lanes.scalarCount { self[lane] = base[lane * stride] }
    }
}

/// The magic constant 1.5·2²³: adding and subtracting it rounds a Float of magnitude below 2²² to the nearest
/// integer, and the sum's low mantissa bits then hold that integer (bit pattern 0x4B40_0000 + n).
private let roundingShift: Float = 12_582_912
private let roundingShiftBits: Int32 = 0x4B40_0000
/// ln 2 split in a part exact in Float (so n·ln2High is exact for |n| ≤ 2⁸) and a correction (Cody–Waite).
private let ln2High: Float = 0.693145751953125
private let ln2Low: Float = 1.428606765330187045e-06

/// eˣ for every lane, without a libm call: the spline's softmaxes take 2K exponentials per element.
///
/// Method: x = n ln 2 + r with n = round(x / ln 2) and |r| ≤ ln 2 / 2, eʳ by its degree-6 Taylor polynomial
/// (truncation ≤ (ln 2/2)⁷/7! ≈ 1.3e-7 relative), scaled by 2ⁿ built directly in the exponent bits (n is read
/// from the rounding sum's mantissa, so no float-to-int conversion is needed). Accurate to a few ulps over
/// [−87, 88]; arguments are clamped there (e⁻⁸⁷ ≈ 1.6e-38 is near the smallest normal, e⁸⁸ near Float's largest).
@inline(__always)
func fastExp(_ x: Lanes) -> Lanes {
    let clamped = x.clamped(-87, 88)
    let shifted = clamped * 1.44269504088896341 + roundingShift
    let n = shifted - roundingShift
    let r = (clamped - n * ln2High) - n * ln2Low
    var p = Lanes(repeating: 1.0 / 720)
    p = p * r + 1.0 / 120
    p = p * r + 1.0 / 24
    p = p * r + 1.0 / 6
    p = p * r + 0.5
    p = p * r + 1
    p = p * r + 1
    let scale = Lanes(bits: (shifted.bits &- roundingShiftBits &+ 127) &<< 23)
    return p * scale
}

/// ln x for every lane, x a positive normal Float (the spline only takes logarithms of slopes and of 1 + e⁻|ᵘ|).
///
/// Method: x = 2ᵉ m with m ∈ [√½, √2) read from the bits; ln m = 2 atanh(s) with s = (m − 1)/(m + 1), |s| ≤
/// 0.1716, by its odd series to s⁹ (next term < 7e-10); then e ln 2 + ln m with ln 2 split as in ``fastExp(_:)``.
/// Absolute error about 1e-7 near x = 1, relative error a few ulps elsewhere.
@inline(__always)
func fastLog(_ x: Lanes) -> Lanes {
    let offset = x.bits &- 0x3F35_04F3  // bits of √½
    let exponent = offset &>> 23  // arithmetic shift: e, negative below √½
    let m = Lanes(bits: x.bits &- (exponent &<< 23))
    let e = Lanes(bits: exponent &+ roundingShiftBits) - roundingShift
    let s = (m - 1) / (m + 1), z = s * s
    var series = Lanes(repeating: 1.0 / 9)
    series = series * z + 1.0 / 7
    series = series * z + 1.0 / 5
    series = series * z + 1.0 / 3
    series = series * z + 1
    return e * ln2High + (e * ln2Low + 2 * s * series)
}

/// log(1 + eᵛ), in the overflow-free form max(v, 0) + log(1 + e^{−|v|}).
@inline(__always)
func softplus(_ v: Lanes) -> Lanes {
    v.lanesMax(Lanes()) + fastLog(1 + fastExp(-v.absolute))
}

/// 1 / (1 + e^{−v}), from e^{−|v|} so that neither branch overflows.
@inline(__always)
func sigmoid(_ v: Lanes) -> Lanes {
    let e = fastExp(-v.absolute), inverse = 1 / (1 + e)
    return inverse.replacing(with: e * inverse, where: v .< 0)
}
