import Foundation
import NPEInference
import NPESupport

/// FlexARE's pre-processing chain in front of a posterior model: the steps of
/// `npe-infer --preprocess denoiser@REF[,imputer@REF]`, run in the order given on each target's spectrum.
///
/// A chain whose first step is an imputer completes spectra with missing bins before anything else reads them;
/// any other chain needs complete spectra (a denoiser reads every bin), and the pipeline flags masked targets
/// instead of passing them on.
public struct SpectrumPreprocessing: @unchecked Sendable {
    /// One step: the model and who it is (recorded in the posterior file).
    public struct Step: @unchecked Sendable {
        public var model: FlexAREModel
        /// `name@version`.
        public var reference: String
        public var weightsSHA256: String
        public var cardSHA256: String?
        /// The model's grid (bin centres, µm), when its card has one.
        public var wavelengths: [Double]?

        public init(model: FlexAREModel, reference: String, weightsSHA256: String, cardSHA256: String?, wavelengths: [Double]?) {
            self.model = model
            self.reference = reference
            self.weightsSHA256 = weightsSHA256
            self.cardSHA256 = cardSHA256
            self.wavelengths = wavelengths
        }
    }

    public let steps: [Step]

    /// - Throws: ``FlexAREError/invalidModel(_:)`` for an empty chain or steps on different grids.
    public init(steps: [Step]) throws {
        guard let first = steps.first else { throw FlexAREError.invalidModel("--preprocess names no model") }
        for step in steps.dropFirst() where step.model.architecture.binCount != first.model.architecture.binCount {
            throw FlexAREError.invalidModel("\(step.reference) reads \(step.model.architecture.binCount) bins, \(first.reference) "
                + "\(first.model.architecture.binCount)")
        }
        self.steps = steps
    }

    /// M.
    public var binCount: Int { steps[0].model.architecture.binCount }

    /// Whether the chain completes spectra with missing bins (its first step imputes).
    public var acceptsMissingBins: Bool { steps[0].model.architecture.role == .imputer }

    /// Whether some step imputes (its output bins have no σ of their own).
    public var imputes: Bool { steps.contains { $0.model.architecture.role == .imputer } }

    /// Runs every step on one spectrum (M depths, NaN = missing).
    public func apply(_ x: [Float]) throws -> [Float] {
        try steps.reduce(x) { try $1.model.reconstruct($0, rows: 1) }
    }

    /// The record written to the posterior file's `preprocessing` attribute: a JSON array, in order, of
    /// `{"kind", "reference", "weights_sha256", "card_sha256"}` (`docs/posterior-format.md`).
    public var record: String {
        let entries: [JSONValue] = steps.map { step in
            var entry: [String: JSONValue] = [
                "kind": .string(step.model.architecture.role.cardKind), "reference": .string(step.reference),
                "weights_sha256": .string(step.weightsSHA256),
            ]
            if let card = step.cardSHA256 { entry["card_sha256"] = .string(card) }
            return .object(entry)
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return String(decoding: try! encoder.encode(JSONValue.array(entries)), as: UTF8.self)  // strings only: cannot fail
    }
}

/// A posterior sampler behind a ``SpectrumPreprocessing`` chain: the sampler sees the processed spectrum; the
/// rest of the pipeline (screening, the importance-sampling likelihood, the predictive check) sees the data as
/// observed, so weights and χ² score the real observation and not the denoised one.
public struct PreprocessedSampler: PosteriorSampler {
    public let base: any PosteriorSampler
    public let preprocessing: SpectrumPreprocessing

    public init(base: any PosteriorSampler, preprocessing: SpectrumPreprocessing) {
        self.base = base
        self.preprocessing = preprocessing
    }

    public var parameterNames: [String] { base.parameterNames }
    public var acceptsMissingBins: Bool { preprocessing.acceptsMissingBins }

    public func sample(x: [Float], sigma: [Float]?, context: [Float], count: Int, stream: RandomStream, workers: Int) throws
        -> (theta: [Float], logProposal: [Float])
    {
        try base.sample(x: preprocessing.apply(x), sigma: sigma, context: context, count: count, stream: stream, workers: workers)
    }
}

extension InferenceJob {
    /// This job with its sampler behind `preprocessing`, which the posterior file records.
    ///
    /// - Throws: ``FlexAREError/invalidModel(_:)`` when the chain's bins or grid differ from the model's, or
    ///   an imputing chain feeds a model that reads σ (imputed bins have none).
    public func preprocessed(by preprocessing: SpectrumPreprocessing) throws -> InferenceJob {
        guard preprocessing.binCount == model.binCount else {
            throw FlexAREError.invalidModel("--preprocess: the chain reads \(preprocessing.binCount) bins, \(model.reference) \(model.binCount)")
        }
        if let grid = model.wavelengths {
            for step in preprocessing.steps {
                guard let own = step.wavelengths else { continue }
                let same = zip(own, grid).allSatisfy { abs($0 - $1) <= ModelRequirements.gridTolerance * max(abs($1), 1e-12) }
                guard same else { throw FlexAREError.invalidModel("--preprocess: \(step.reference) was trained on another grid than \(model.reference)") }
            }
        }
        if preprocessing.imputes && samplerReadsSigma {
            throw FlexAREError.invalidModel("--preprocess: \(model.reference) reads σ, and imputed bins have none; "
                + "use a flow that does not read σ (FlexARE's recipe: a flow trained on clean spectra)")
        }
        var model = model
        model.preprocessing = preprocessing.record
        return try InferenceJob(catalogue: catalogue, catalogueSHA256: catalogueSHA256, model: model,
                                sampler: PreprocessedSampler(base: sampler, preprocessing: preprocessing),
                                samplerReadsSigma: samplerReadsSigma, likelihood: likelihood, screening: screening, settings: settings)
    }
}
