import Foundation
import NPESimulators

/// A posterior to validate and what it expects: its parameters, context inputs, input grid and training noise.
/// `npe-validate` makes one from a registry entry; tests make one from an analytic problem.
public struct ValidationModel {
    public var posterior: any AmortizedPosterior
    /// The full prior of the training set (theta and context parameters).
    public var prior: Prior
    /// D theta names (network order) and A context names.
    public var parameterNames: [String]
    public var contextNames: [String]
    /// M bin centres [µm] (or feature indices) the model expects.
    public var wavelengths: [Double]
    /// The training noise; nil when the model was trained on noise-free x.
    public var noise: (any ObservationNoise)?
    /// Whether the network takes σ as an input (noise-level conditioning).
    public var takesNoiseLevel: Bool
    /// `name@version` and the weights digest, for the report.
    public var reference: String
    public var weightsSha256: String
    /// The per-bin interval of noise-free x that training accepted (its outlier filter), when it had one: test rows
    /// outside it are not from the distribution the model was trained on, and are left out and counted.
    public var trainingRange: TrainingInputRange?
    /// Whether the posterior reads NaN bins of x as missing (a mask-aware estimator).
    public var acceptsMissingBins: Bool

    public init(posterior: any AmortizedPosterior, prior: Prior, parameterNames: [String], contextNames: [String],
                wavelengths: [Double], noise: (any ObservationNoise)?, takesNoiseLevel: Bool, reference: String,
                weightsSha256: String, trainingRange: TrainingInputRange? = nil, acceptsMissingBins: Bool = false) {
        self.trainingRange = trainingRange
        self.acceptsMissingBins = acceptsMissingBins
        self.posterior = posterior
        self.prior = prior
        self.parameterNames = parameterNames
        self.contextNames = contextNames
        self.wavelengths = wavelengths
        self.noise = noise
        self.takesNoiseLevel = takesNoiseLevel
        self.reference = reference
        self.weightsSha256 = weightsSha256
    }
}

/// Per-bin bounds on noise-free x: `lower[j] ≤ x[j] ≤ upper[j]` for every bin j.
public struct TrainingInputRange: Sendable, Equatable {
    public var lower: [Float]
    public var upper: [Float]
    public init(lower: [Float], upper: [Float]) {
        self.lower = lower
        self.upper = upper
    }

    public func contains(_ x: ArraySlice<Float>) -> Bool {
        zip(x, zip(lower, upper)).allSatisfy { $0 >= $1.0 && $0 <= $1.1 }
    }
}

/// How `npe-validate` runs.
public struct ValidationOptions: Sendable {
    /// The fixed validation seed: test noise and posterior samples are keyed on it, so two runs of one model on one
    /// dataset give the same report. Training draws its noise with the trainer's own seed, so with this default the
    /// test noise is a fresh draw, not one the model saw.
    public static let defaultSeed: UInt64 = 20_220_427

    /// S posterior samples per row.
    public var samples: Int
    /// Use the first N usable rows (all when nil).
    public var rows: Int?
    public var seed: UInt64
    /// Sampling threads.
    public var workers: Int
    /// Rows per batched sampling call (bounds memory: rows × S × D floats).
    public var batchRows: Int
    /// Rows scored against importance-weighted reference samples (ADC2023, C2ST); 0 skips that score.
    public var referenceRows: Int
    /// Also run the classifier two-sample test on those rows (trains a small classifier per row).
    public var classifierTest: Bool
    public var levels: [Double]
    /// Bins (0-based) set to NaN, i.e. not observed, in every test spectrum after its noise is drawn: measures a
    /// mask-aware model on partial spectra (e.g. one instrument removed). Empty: complete spectra.
    public var missingBins: [Int] = []

    public init(samples: Int = 1000, rows: Int? = nil, seed: UInt64 = ValidationOptions.defaultSeed, workers: Int = 1,
                batchRows: Int = 64, referenceRows: Int = 0, classifierTest: Bool = false,
                levels: [Double] = CalibrationMetrics.standardLevels) {
        self.samples = samples
        self.rows = rows
        self.seed = seed
        self.workers = workers
        self.batchRows = batchRows
        self.referenceRows = referenceRows
        self.classifierTest = classifierTest
        self.levels = levels
    }
}

extension ValidationOptions {
    /// Parses a bin list such as `42-51` or `0,3-8` (0-based, ranges inclusive).
    ///
    /// - Throws: ``ValidationRunError/invalidOption(name:reason:)`` for text that is not such a list.
    public static func bins(parsing text: String) throws -> [Int] {
        var bins: [Int] = []
        for part in text.split(separator: ",", omittingEmptySubsequences: false) {
            let bounds = part.split(separator: "-", omittingEmptySubsequences: false).map { Int($0.trimmingCharacters(in: .whitespaces)) }
            guard (1...2).contains(bounds.count), let first = bounds.first ?? nil, let last = bounds.last ?? nil,
                  first >= 0, first <= last else {
                throw ValidationRunError.invalidOption(name: "missing bins", reason: "'\(part)' in '\(text)' is not a bin or a range FIRST-LAST (0-based)")
            }
            bins += Array(first...last)
        }
        return Array(Set(bins)).sorted()
    }

    /// `42–51` style text for a sorted bin list.
    public static func describe(bins: [Int]) -> String {
        var parts: [String] = []
        var index = 0
        while index < bins.count {
            var end = index
            while end + 1 < bins.count && bins[end + 1] == bins[end] + 1 { end += 1 }
            parts.append(end == index ? "\(bins[index])" : "\(bins[index])–\(bins[end])")
            index = end + 1
        }
        return parts.joined(separator: ", ")
    }
}

/// Why a validation cannot run. Each case names the file and the field.
public enum ValidationRunError: Error, Equatable, CustomStringConvertible {
    /// The dataset does not fit the model: `field` differs (`expected` from the model, `found` in the file).
    case incompatible(file: String, field: String, expected: String, found: String)
    /// An option is unusable.
    case invalidOption(name: String, reason: String)
    /// Too few usable rows.
    case notEnoughRows(file: String, usable: Int, reason: String)

    public var description: String {
        switch self {
        case let .incompatible(file, field, expected, found):
            return "\(file): does not fit the model: \(field) is \(found) in the dataset, the model expects \(expected)"
        case let .invalidOption(name, reason): return "invalid \(name): \(reason)"
        case let .notEnoughRows(file, usable, reason): return "\(file): only \(usable) usable rows: \(reason)"
        }
    }
}
