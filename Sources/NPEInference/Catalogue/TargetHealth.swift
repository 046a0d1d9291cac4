/// Per-target health flags, stored as a uint32 bit set in the posterior file (`flags` [T], bit k = 1 << k) and
/// spelled out in the summary CSV. A flagged target still gets a row; only invalid input prevents inference for
/// that target (its samples are NaN).
public struct TargetHealth: OptionSet, Sendable, Hashable, Codable {
    public let rawValue: UInt32
    public init(rawValue: UInt32) { self.rawValue = rawValue }

    /// The spectrum has NaN/inf values, or σ ≤ 0 or non-finite: no inference was run.
    public static let invalidInput = TargetHealth(rawValue: 1 << 0)
    /// Some bin lies far outside the training data (|z| above the threshold), so the network extrapolates.
    public static let outOfTrainingRange = TargetHealth(rawValue: 1 << 1)
    /// Importance sampling found a low efficiency: q is a poor match to the exact posterior for this target.
    public static let lowImportanceEfficiency = TargetHealth(rawValue: 1 << 2)
    /// The posterior predictive p-value is below the threshold: no posterior draw reproduces the data as well as
    /// the noise would, so the forward model (or σ) does not describe this target (``PosteriorPredictiveCheck``).
    public static let modelMisfit = TargetHealth(rawValue: 1 << 3)
    /// The spectrum has missing bins (NaN in x), but the model was trained on complete spectra (no mask input):
    /// no inference was run, rather than imputing the gaps silently.
    public static let maskedBinsUnsupported = TargetHealth(rawValue: 1 << 4)
    /// Every bin is missing: nothing was observed, so no inference was run.
    public static let noObservedBins = TargetHealth(rawValue: 1 << 5)
    /// σ is NaN at a bin where x is observed (finite): the masks of x and σ disagree, so no inference was run.
    public static let inconsistentMask = TargetHealth(rawValue: 1 << 6)

    /// The flags that mean no inference was run for the target (its samples are NaN).
    public static let notInferred: TargetHealth = [.invalidInput, .maskedBinsUnsupported, .noObservedBins, .inconsistentMask]

    /// Every flag with its name, in bit order (the posterior file's `flag_bits` attribute).
    public static let all: [(flag: TargetHealth, name: String)] = [
        (.invalidInput, "invalid_input"), (.outOfTrainingRange, "out_of_training_range"),
        (.lowImportanceEfficiency, "low_importance_efficiency"), (.modelMisfit, "model_misfit"),
        (.maskedBinsUnsupported, "masked_bins_unsupported"), (.noObservedBins, "no_observed_bins"),
        (.inconsistentMask, "inconsistent_mask"),
    ]

    /// Names of the set flags, for the summary CSV (`ok` when none).
    public var names: [String] {
        let out = Self.all.filter { contains($0.flag) }.map(\.name)
        return out.isEmpty ? ["ok"] : out
    }

    /// Checks one target's inputs. Returns why it is invalid (nil when valid). With `observed` (M flags), bins
    /// marked missing are not checked.
    public static func invalidity(x: ArraySlice<Double>, sigma: ArraySlice<Double>?, context: ArraySlice<Double>?,
                                  observed: [Bool]? = nil) -> String? {
        func checked(_ index: Int) -> Bool { observed?[index - x.startIndex] ?? true }
        if let bin = x.indices.first(where: { checked($0) && !x[$0].isFinite }) { return "x[\(bin - x.startIndex)] is \(x[bin])" }
        if let sigma, let bin = sigma.indices.first(where: { checked($0 - sigma.startIndex + x.startIndex) && (!(sigma[$0] > 0) || !sigma[$0].isFinite) }) {
            return "sigma[\(bin - sigma.startIndex)] is \(sigma[bin]) (must be finite and > 0)"
        }
        if let context, let k = context.indices.first(where: { !context[$0].isFinite }) {
            return "context[\(k - context.startIndex)] is \(context[k])"
        }
        return nil
    }

    /// The largest per-bin |z| of `x` against the training data's mean and standard deviation.
    public static func largestZScore(x: ArraySlice<Double>, mean: [Double], standardDeviation: [Double]) -> Double {
        zip(zip(x, mean), standardDeviation).reduce(0) { worst, item in
            let ((value, mu), sd) = item
            return max(worst, abs(value - mu) / max(sd, .leastNonzeroMagnitude))
        }
    }
}
