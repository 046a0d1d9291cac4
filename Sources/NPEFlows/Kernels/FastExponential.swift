/// eˣ in Float without a libm call, for the spline kernel's inner loops (its softmaxes take 2K exponentials
/// per element, and the libm call was a third of an NSF training step).
///
/// Method: x = n ln 2 + r with n = round(x / ln 2) and |r| ≤ ln 2 / 2 (Cody–Waite: ln 2 split in a high part
/// exact in Float and a low correction), eʳ by its degree-6 Taylor polynomial (truncation ≤ (ln 2/2)⁷/7! ≈
/// 1.3e-7 relative), then scaled by 2ⁿ through the exponent bits. Accuracy is within a few Float ulps over
/// [−87, 88]; arguments are clamped there (e⁻⁸⁷ ≈ 1.6e-38 is the smallest normal, e⁸⁸ ≈ Float's largest).
@inline(__always)
func fastExp(_ x: Float) -> Float {
    let clamped = min(max(x, -87), 88)
    // Round to nearest by adding and subtracting 1.5·2²³ (no libm call; -O keeps the two operations).
    let n = (clamped * 1.44269504088896341 + 12582912) - 12582912
    let r = (clamped - n * 0.693145751953125) - n * 1.428606765330187045e-06
    var p: Float = 1.0 / 720
    p = p * r + 1.0 / 120
    p = p * r + 1.0 / 24
    p = p * r + 1.0 / 6
    p = p * r + 0.5
    p = p * r + 1
    p = p * r + 1
    return p * Float(bitPattern: UInt32(bitPattern: Int32(n) + 127) << 23)
}
