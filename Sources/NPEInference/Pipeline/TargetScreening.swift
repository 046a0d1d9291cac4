import Foundation
import NPESimulators

/// The per-target health checks that run before sampling (``TargetHealth``):
///
/// - **invalid input**: an infinite x, a σ that is not finite and positive at an observed bin, a non-finite context value, or a
///   context value outside the prior's support (the network never saw it and the simulator may not accept it).
///   The target is skipped; the others go on.
/// - **missing bins**: a NaN in x marks a bin that was not observed (σ there is not read). Every bin missing is
///   ``TargetHealth/noObservedBins``; a NaN σ where x is observed is ``TargetHealth/inconsistentMask``; any
///   missing bin for a model without a mask input is ``TargetHealth/maskedBinsUnsupported``. Each skips the target.
/// - **out of training range**: the largest per-bin |z| of x against the model's x standardisation (the training
///   set's per-bin mean and standard deviation) exceeds ``zThreshold``. The target is still sampled.
public struct TargetScreening: Sendable {
    /// The default |z| threshold, 5. By Chebyshev's inequality at most 1/25 = 4% of training spectra can exceed
    /// |z| = 5 in a given bin whatever their distribution; for near-Gaussian bins it is 6·10⁻⁷ per bin, so a
    /// spectrum like the training data trips it with probability about 3·10⁻⁵ over 52 bins. Beyond 5 standard
    /// deviations the embedding network extrapolates far outside anything it was fitted on.
    public static let defaultZThreshold = 5.0

    /// Per-bin mean and standard deviation of the training x (M each).
    public var xMean: [Double]
    public var xStandardDeviation: [Double]
    /// The prior of the context inputs (A values, in the model's order); nil when the model has none.
    public var contextPrior: Prior?
    public var zThreshold: Double

    public init(xMean: [Double], xStandardDeviation: [Double], contextPrior: Prior?, zThreshold: Double = defaultZThreshold) {
        self.xMean = xMean
        self.xStandardDeviation = xStandardDeviation
        self.contextPrior = contextPrior
        self.zThreshold = zThreshold
    }

    /// The flags and their reasons for one target. `acceptsMissingBins`: the model reads a mask, so NaN bins are
    /// left out rather than refused.
    public func screen(x: ArraySlice<Double>, sigma: ArraySlice<Double>?, context: ArraySlice<Double>?,
                       acceptsMissingBins: Bool = false) -> (flags: TargetHealth, reasons: [String])
    {
        let observed = x.map { !$0.isNaN }
        let missing = observed.filter { !$0 }.count
        if missing == observed.count {
            return (.noObservedBins, ["no_observed_bins: every bin of x is NaN (not observed)"])
        }
        if let sigma, let bin = zip(observed, sigma).enumerated().first(where: { $0.element.0 && $0.element.1.isNaN })?.offset {
            return (.inconsistentMask, ["inconsistent_mask: sigma[\(bin)] is NaN but x[\(bin)] = \(x[x.startIndex + bin]) is observed "
                + "(a missing bin has NaN in x; σ there is not read)"])
        }
        if let reason = TargetHealth.invalidity(x: x, sigma: sigma, context: context, observed: observed) {
            return (.invalidInput, ["invalid_input: \(reason)"])
        }
        if let contextPrior, let context {
            for (k, (index, value)) in zip(contextPrior.contextIndices, context).enumerated() {
                let parameter = contextPrior.parameters[index]
                if !parameter.distribution.logDensity(value).isFinite {
                    return (.invalidInput, ["invalid_input: context[\(k)] \(parameter.name) = \(value) is outside its prior support \(parameter.distribution.support)"])
                }
            }
        }
        if missing > 0 && !acceptsMissingBins {
            return (.maskedBinsUnsupported, ["masked_bins_unsupported: \(missing) of \(observed.count) bins are missing (NaN), but "
                + "this model was trained on complete spectra; train one with mask_augmentation to infer from partial spectra"])
        }
        let z = zip(zip(x, xMean), xStandardDeviation).enumerated().filter { observed[$0.offset] }.map { bin, item in
            (bin, abs(item.0.0 - item.0.1) / max(item.1, .leastNonzeroMagnitude))
        }
        if let worst = z.max(by: { $0.1 < $1.1 }), worst.1 > zThreshold {
            return (.outOfTrainingRange, [String(format: "out_of_training_range: |z| = %.3g at bin %d (threshold %.3g)", worst.1, worst.0, zThreshold)])
        }
        return ([], [])
    }
}
