import Foundation
import NPEChecksum
import NPEFlows
import NPEInference
import NPEModelKinds
import NPEModels
import NPERegistry
import NPESimulators
import NPESupport

/// `npe-refine` end to end: load the amortised model and its simulator from the registry (the simulator of its
/// lineage, through the simulator catalogue, so external `exec:` simulators work too), pick the targets, refine
/// them several at a time, publish each refined model with its lineage, and write the posterior file of
/// `npe-infer` for the whole catalogue with the refined targets sampled from their refined models.
public enum RefinementRun {
    /// What a run did, for the closing summary.
    public struct Summary {
        public var inference: InferenceRunSummary
        public var outcomes: [TargetOutcome]
        public var seconds: Double
    }

    /// One refined (or failed) target, as stored in `OUT.rounds.json`.
    public struct TargetOutcome: Codable, Sendable {
        public var target: String
        public var catalogueIndex: Int
        public var records: [RoundRecord]
        public var simulations: Int
        /// `NAME@VERSION` of the published refined model; nil when the target failed.
        public var model: String?
        /// Why the target could not be refined; it keeps the amortised posterior.
        public var failure: String?
        public var reachedMinimumEffectiveSampleSize: Bool?
        public var revertedRound: Int?
        public var seconds: Double
    }

    public static func run(_ request: RefinementRequest, log: @escaping (String) -> Void = { _ in },
                           shouldStop: @escaping () -> Bool = { false }) throws -> Summary {
        let clock = Date()
        let registry = ModelRegistry(root: request.registry)
        let loaded = try registry.load(request.model)
        let parent = try PosteriorModel(loaded: loaded)
        let likelihood = try TrainingSimulators.likelihood(of: parent)
        // The final sampling runs alone, on every thread the refinement shared out.
        var inference = InferenceSettings(samplesPerTarget: request.samples, seed: request.settings.seed,
                                          importanceSampling: request.importanceSampling,
                                          threads: request.settings.threads * request.concurrentTargets)
        inference.predictiveDraws = 0
        let catalogueFile = InferenceCatalogue(url: request.catalogue, sha256: try SHA256.hexDigest(ofFileAt: request.catalogue))
        let (amortised, _) = try FlowModelKind().inferenceJob(for: loaded, catalogue: catalogueFile, settings: inference, predictiveRequested: false)
        let catalogue = amortised.catalogue
        let indices = try selectTargets(request.selection, catalogue: catalogue)
        log("npe-refine: \(indices.count) of \(catalogue.targetCount) targets, \(request.settings.method.rawValue), "
            + "\(request.settings.rounds) rounds × \(request.settings.simulationsPerRound) simulations, \(request.concurrentTargets) at once")
        let problem = try RefinementProblem(prior: parent.prior, simulator: likelihood.simulator)
        let existing = (try? FileManager.default.contentsOfDirectory(atPath: request.roundsDirectory.path)) ?? []
        guard request.resume || existing.isEmpty else {
            throw SequentialError.resumeMismatch(path: request.roundsDirectory.path,
                                                 reason: "it holds the rounds of an earlier run; pass --resume to continue it, or remove it")
        }
        try FileManager.default.createDirectory(at: request.roundsDirectory, withIntermediateDirectories: true)

        let m = catalogue.binCount, a = catalogue.contextNames.count
        let starts = indices.map { _ in Date() }
        let results = CatalogueRefinement.run(count: indices.count, concurrentTargets: request.concurrentTargets, resume: request.resume) { j in
            let t = indices[j]
            let sigma = catalogue.sigma.map { Array(Catalogue.row($0, t, width: m)) } ?? amortised.model.defaultSigma
            let target = try RefinementTarget(id: catalogue.ids[t], x: Array(Catalogue.row(catalogue.x, t, width: m)), sigma: sigma,
                                              context: catalogue.context.map { Array(Catalogue.row($0, t, width: a)) } ?? [],
                                              binCount: m, contextCount: a)
            let refinement = SequentialRefinement(
                problem: problem, target: target, settings: request.settings,
                start: .model(try copy(parent.estimator), reference: parent.id.description),
                directory: request.roundsDirectory.appendingPathComponent(String(format: "target-%05d", t)), targetIndex: t)
            refinement.onRound = { log($0.line) }
            refinement.shouldStop = shouldStop
            return refinement
        }
        var outcomes = [TargetOutcome](), refined: [ObservationKey: EstimatorSampler] = [:]
        for (j, result) in results.enumerated() {
            let t = indices[j]
            var outcome = TargetOutcome(target: catalogue.ids[t], catalogueIndex: t, records: [], simulations: 0, model: nil, failure: nil,
                                        reachedMinimumEffectiveSampleSize: nil, revertedRound: nil, seconds: Date().timeIntervalSince(starts[j]))
            switch result {
            case let .failed(_, reason):
                outcome.failure = reason
                log("npe-refine: \(catalogue.ids[t]): not refined: \(reason)")
            case let .refined(done):
                outcome.records = done.records
                outcome.simulations = done.simulations
                outcome.seconds = done.records.reduce(0) { $0 + $1.seconds }
                if request.settings.method == .snpeIS {
                    outcome.reachedMinimumEffectiveSampleSize = done.reachedMinimumEffectiveSampleSize
                    outcome.revertedRound = done.revertedRound
                }
                if done.interrupted { outcome.failure = "interrupted; rerun with --resume" }
                if let estimator = done.estimator, !done.interrupted {
                    let directory = request.roundsDirectory.appendingPathComponent(String(format: "target-%05d", t))
                    outcome.model = try RefinedModelPublication.publish(
                        estimator, parent: loaded, target: catalogue.ids[t], settings: request.settings, result: done,
                        rounds: directory, to: registry)
                    refined[ObservationKey(
                        x: Catalogue.row(catalogue.x, t, width: m).map(Float.init),
                        sigma: amortised.samplerReadsSigma ? (catalogue.sigma.map { Catalogue.row($0, t, width: m).map(Float.init) }
                            ?? amortised.model.defaultSigma?.map(Float.init)) : nil,
                        context: catalogue.context.map { Catalogue.row($0, t, width: a).map(Float.init) } ?? [])]
                        = EstimatorSampler(estimator: estimator, parameterNames: parent.parameterNames)
                }
            }
            outcomes.append(outcome)
        }
        try AtomicFile.write(JSONEncoder.iso.encode(outcomes), to: request.recordsURL)
        // A stopped run writes no posterior file: the refined models of the unfinished targets do not exist yet.
        if shouldStop() {
            throw SequentialError.interrupted("stopped before every target was refined; rerun with --resume to continue")
        }
        guard let parentSampler = amortised.sampler as? EstimatorSampler else {
            throw SequentialError.invalidSetting("model \(request.model) is not an npe-flow estimator")
        }
        let job = try InferenceJob(
            catalogue: catalogue, catalogueSHA256: amortised.catalogueSHA256, model: amortised.model,
            sampler: RefinedSampler(parent: parentSampler, refined: refined), samplerReadsSigma: amortised.samplerReadsSigma,
            likelihood: request.importanceSampling ? likelihood : nil, screening: amortised.screening, settings: amortised.settings)
        let summary = try InferenceRun.run(job, output: request.output, resume: request.resume, shouldStop: shouldStop)
        return Summary(inference: summary, outcomes: outcomes, seconds: Date().timeIntervalSince(clock))
    }

    /// The catalogue indices of the selected targets.
    static func selectTargets(_ selection: TargetSelection, catalogue: Catalogue) throws -> [Int] {
        switch selection {
        case .all:
            return Array(0..<catalogue.targetCount)
        case let .ids(ids):
            let index = Dictionary(catalogue.ids.enumerated().map { ($1, $0) }, uniquingKeysWith: { first, _ in first })
            return try ids.map { id in
                guard let t = index[id] else {
                    throw SequentialError.invalidTarget(target: id, reason: "not in catalogue \(catalogue.source)")
                }
                return t
            }
        case let .flagged(url):
            let file = try PosteriorFile.read(from: url, includingSamples: false)
            let index = Dictionary(catalogue.ids.enumerated().map { ($1, $0) }, uniquingKeysWith: { first, _ in first })
            return try zip(file.ids, file.flags).compactMap { id, flags in
                guard !flags.isEmpty, flags.isDisjoint(with: .notInferred) else { return nil }
                guard let t = index[id] else {
                    throw SequentialError.invalidTarget(target: id, reason: "flagged in \(url.path) but not in catalogue \(catalogue.source)")
                }
                return t
            }
        }
    }

    /// An independent copy of an estimator (each target refines its own).
    static func copy(_ estimator: NeuralPosteriorEstimator) throws -> NeuralPosteriorEstimator {
        let copy = try NeuralPosteriorEstimator(architecture: estimator.architecture, standardization: estimator.standardization,
                                                stream: RandomStream(seed: 0))
        try copy.load(estimator.parameterDictionary())
        return copy
    }
}
