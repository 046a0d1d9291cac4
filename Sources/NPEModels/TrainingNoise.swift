import Foundation
import NPESimulators
import NPETensor
import NPESupport

/// The Gaussian noise a model is trained with, as declared in its model card: training draws it afresh every epoch,
/// and validation draws it with its own seed, so a model is always judged on the noise it was trained for.
///
/// For dataset row r in draw round e (an epoch), with seed s:
///
///   k  = ⌊u₁ · K⌋                  (which of the K σ rows; u₁ = uniform draw r of stream (s, 0x50A7C, e))
///   f  = exp(log a + u₂ (log b − log a))   (only with a scale range [a, b]; u₂ from stream (s, 0x5CA1E, e))
///   σ  = f · σ_k,   x̃ⱼ = xⱼ + σⱼ εⱼ,   εⱼ = normal draw (r·M + j) of stream (s, 0x9015E, e).
///
/// Every draw is a pure function of (seed, epoch, row), so noise does not depend on batching or the number of
/// workers. With many σ rows (e.g. the 722 Ariel MCS targets) and the noise level fed to the network
/// (Gebhard et al. 2025, noise-level conditioning), one model serves targets of very different signal-to-noise.
public struct TrainingNoise: Codable, Equatable, Sendable {
    /// Per-bin 1σ rows in the units of x, each M long: one row is a fixed noise level, many rows a population.
    public var sigmaRows: [[Float]]
    /// Log-uniform range of an extra per-(row, epoch) factor on σ; nil means a factor of 1.
    public var scaleRange: ClosedRange<Float>?
    /// Where the σ rows came from, e.g. `ariel-mcs-known-2024, 1 transit`.
    public var source: String

    /// - Throws: ``ModelCardError/invalidNoise(_:)`` for no rows, ragged rows, a σ that is not finite and
    ///   positive, or a scale range outside (0, ∞).
    public init(sigmaRows: [[Float]], scaleRange: ClosedRange<Float>? = nil, source: String) throws {
        self.sigmaRows = sigmaRows
        self.scaleRange = scaleRange
        self.source = source
        try validate()
    }

    /// M, the number of bins.
    public var binCount: Int { sigmaRows.first?.count ?? 0 }

    /// Checks the invariants the initialiser promises (decoded values go through it too).
    public func validate() throws {
        guard let m = sigmaRows.first?.count, m > 0 else { throw ModelCardError.invalidNoise("no sigma rows") }
        for (k, row) in sigmaRows.enumerated() {
            guard row.count == m else { throw ModelCardError.invalidNoise("sigma row \(k) has \(row.count) bins, expected \(m)") }
            if let j = row.firstIndex(where: { !($0 > 0 && $0.isFinite) }) {
                throw ModelCardError.invalidNoise("sigma row \(k), bin \(j) is \(row[j]); must be finite and > 0")
            }
        }
        if let range = scaleRange, !(range.lowerBound > 0 && range.upperBound.isFinite) {
            throw ModelCardError.invalidNoise("scale range \(range) must lie in (0, ∞)")
        }
    }

    /// The Ariel Mission Candidate Sample known planets' per-target noise (722 rows; NPESimulators'
    /// ``PerTargetNoiseTable/arielMCSKnown2024(floor:defaultTransits:)``), co-added over `transits` transits.
    public static func arielMCS(transits: Int = 1, scaleRange: ClosedRange<Float>? = nil) throws -> TrainingNoise {
        guard transits >= 1 else { throw ModelCardError.invalidNoise("transits must be ≥ 1, got \(transits)") }
        let table = try PerTargetNoiseTable.arielMCSKnown2024(defaultTransits: transits)
        let rows = try table.names.map { name in try table.sigma(for: NoiseTarget(name: name)).map { Float($0) } }
        return try TrainingNoise(sigmaRows: rows, scaleRange: scaleRange,
                                 source: "ariel-mcs-known-2024, \(transits) transit\(transits == 1 ? "" : "s") (\(rows.count) targets)")
    }

    /// σ for dataset row `row` in round `epoch` (M values).
    public func sigma(row: Int, epoch: Int, seed: UInt64) -> [Float] {
        let k: Int
        if sigmaRows.count == 1 {
            k = 0
        } else {
            let u = RandomStream(seed: seed, stream: 0x50A7C).child(UInt64(epoch)).uniformDouble(UInt64(row))
            k = min(Int(u * Double(sigmaRows.count)), sigmaRows.count - 1)
        }
        let factor = scale(row: row, epoch: epoch, seed: seed)
        return factor == 1 ? sigmaRows[k] : sigmaRows[k].map { $0 * factor }
    }

    /// The σ factor of `row` in round `epoch` (1 without a scale range).
    public func scale(row: Int, epoch: Int, seed: UInt64) -> Float {
        guard let range = scaleRange else { return 1 }
        let u = RandomStream(seed: seed, stream: 0x5CA1E).child(UInt64(epoch)).uniformDouble(UInt64(row))
        let low = Foundation.log(Double(range.lowerBound)), high = Foundation.log(Double(range.upperBound))
        return Float(Foundation.exp(low + u * (high - low)))
    }

    /// Adds row `row`'s noise of round `epoch` to `x` (M values) in place and returns the σ it used.
    @discardableResult
    public func perturb(_ x: inout [Float], row: Int, epoch: Int, seed: UInt64) -> [Float] {
        let sigma = self.sigma(row: row, epoch: epoch, seed: seed)
        perturb(&x, sigma: sigma, row: row, epoch: epoch, seed: seed)
        return sigma
    }

    /// Adds noise of the given σ with row `row`'s normal draws of round `epoch` (the ε of the type's formula).
    public func perturb(_ x: inout [Float], sigma: [Float], row: Int, epoch: Int, seed: UInt64) {
        let m = x.count
        let stream = RandomStream(seed: seed, stream: 0x9015E).child(UInt64(epoch))
        var epsilon = [Float](repeating: 0, count: m)
        epsilon.withUnsafeMutableBufferPointer { stream.fillNormal($0, startingAt: UInt64(row) * UInt64(m)) }
        for j in 0..<min(m, sigma.count) { x[j] += sigma[j] * epsilon[j] }
    }

    public init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        sigmaRows = try container.decode([[Float]].self, forKey: .sigmaRows)
        scaleRange = try container.decodeIfPresent(ClosedRange<Float>.self, forKey: .scaleRange)
        source = try container.decode(String.self, forKey: .source)
        try validate()
    }
}
