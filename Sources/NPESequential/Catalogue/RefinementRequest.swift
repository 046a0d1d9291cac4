import Foundation

/// Which targets of a catalogue to refine.
public enum TargetSelection: Sendable, Equatable {
    /// Every target.
    case all
    /// These ids, each of which must be in the catalogue.
    case ids([String])
    /// The targets an `npe-infer` posterior file flagged (any flag but those that mean "not inferred": invalid
    /// input or unusable bins, which refinement cannot fix either).
    case flagged(URL)
}

/// A catalogue refinement as `npe-refine` asks for it (`docs/refine.md`).
public struct RefinementRequest: Sendable {
    public var registry: URL
    /// `NAME@REF` of the amortised model: the round-0 proposal and the starting weights.
    public var model: String
    public var catalogue: URL
    public var selection: TargetSelection
    public var settings: SequentialSettings
    /// Targets refined at once (each runs `settings.threads` simulation threads).
    public var concurrentTargets: Int
    /// Posterior samples per target in the output file, and whether they are importance-weighted.
    public var samples: Int
    public var importanceSampling: Bool
    /// The posterior file; the rounds go under `OUT.refine/`, the records to `OUT.rounds.json`.
    public var output: URL
    public var resume: Bool

    public init(registry: URL, model: String, catalogue: URL, selection: TargetSelection, settings: SequentialSettings,
                concurrentTargets: Int = 2, samples: Int = 2000, importanceSampling: Bool = true, output: URL, resume: Bool = false) {
        self.registry = registry
        self.model = model
        self.catalogue = catalogue
        self.selection = selection
        self.settings = settings
        self.concurrentTargets = concurrentTargets
        self.samples = samples
        self.importanceSampling = importanceSampling
        self.output = output
        self.resume = resume
    }

    /// `OUT.refine/`: one directory per refined target (``RoundStore``).
    public var roundsDirectory: URL { URL(fileURLWithPath: output.path + ".refine", isDirectory: true) }
    /// `OUT.rounds.json`: every target's outcome, records and published model.
    public var recordsURL: URL { URL(fileURLWithPath: output.path + ".rounds.json") }
}
