/// How many epochs `npe-train` may run: until the validation loss stops improving (the default), or a fixed
/// number given by `training.epochs: N` or `--epochs N`.
///
/// Early stopping (``TrainingOptions/patience`` epochs without a new best validation loss) applies to both; the
/// difference is the cap. A fixed budget is the cap. The automatic budget caps the run at ``cap(rows:)`` epochs,
/// which grows as the dataset shrinks: a small dataset needs many passes before its validation loss turns, and a
/// large one converges in few (each epoch is many steps). The cosine schedule anneals over the cap, so the
/// schedule is fixed before training starts and a resumed run follows the same one.
///
/// In YAML: `training.epochs: auto` or an integer ≥ 1. In the model card's training record: `"epoch_budget":
/// "auto"` or the integer, with `training.epochs` holding the cap the run had.
public enum EpochBudget: Equatable, Sendable {
    /// Until `patience` epochs pass without a better validation loss, at most ``cap(rows:)`` epochs.
    case automatic
    /// At most this many epochs (early stopping still applies).
    case fixed(Int)

    /// Rows the automatic cap lets training see: 3·10⁷, i.e. 30 epochs of a 10⁶-row dataset, the budget the ARIEL
    /// recipe was tuned with (`docs/training.md`, "The epoch budget"), which the cap therefore leaves as it was.
    public static let automaticSampleBudget = 30_000_000
    /// The automatic cap's floor: large datasets still get the 30 epochs the ARIEL recipe was tuned with.
    public static let automaticMinimumEpochs = 30
    /// The automatic cap's ceiling: 1000 epochs of a 10⁴-row dataset take minutes on 2 cores, and patience ends
    /// small runs well before it (`docs/training.md`, "The epoch budget").
    public static let automaticMaximumEpochs = 1000

    /// The automatic cap for a dataset of `rows` rows: ⌈``automaticSampleBudget`` / rows⌉ clamped to
    /// [``automaticMinimumEpochs``, ``automaticMaximumEpochs``]; 10³ and 10⁴ rows → 1000, 10⁵ → 300, 10⁶ → 30.
    public static func cap(rows: Int) -> Int {
        let rows = max(rows, 1)
        let epochs = (automaticSampleBudget + rows - 1) / rows
        return min(automaticMaximumEpochs, max(automaticMinimumEpochs, epochs))
    }

    /// The schedule of `training.schedule: auto`: cosine decay to 1e-5 over the cap when the run is expected to use
    /// its whole cap (a fixed budget, or an automatic one at its 30-epoch floor, i.e. 10⁶ rows and more: the ARIEL
    /// recipe, tuned with cosine), and otherwise reduce-on-plateau (halve the rate after 5 epochs without a better
    /// validation loss, down to 1e-5), so that a run ended by patience has annealed first. Cosine over a 1000-epoch
    /// cap leaves the rate at its start when patience ends the run at epoch 100; on two moons and the linear
    /// Gaussian at 10³ and 10⁴ rows plateau reached a 0.9 to 2.0 nats better held-out −log q
    /// (`docs/training.md`, "The epoch budget").
    public static func automaticSchedule(budget: EpochBudget, rows: Int) -> ScheduleKind {
        if case .automatic = budget, cap(rows: rows) > automaticMinimumEpochs {
            return .plateau(factor: 0.5, patience: 5, minimum: 1e-5)
        }
        return .cosine(minimum: 1e-5)
    }

    /// The most epochs a run on a dataset of `rows` rows may take.
    public func epochs(rows: Int) -> Int {
        switch self {
        case .automatic: return Self.cap(rows: rows)
        case let .fixed(epochs): return epochs
        }
    }
}

extension EpochBudget: Codable {
    /// `"auto"` or the epoch count, as in the YAML file.
    public init(from decoder: Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let epochs = try? container.decode(Int.self) {
            self = .fixed(epochs)
        } else if try container.decode(String.self) == "auto" {
            self = .automatic
        } else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "expected \"auto\" or an epoch count")
        }
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .automatic: try container.encode("auto")
        case let .fixed(epochs): try container.encode(epochs)
        }
    }
}

extension TrainingConfiguration {
    /// This configuration with `training.epochs` set to the cap its ``epochBudget`` gives a dataset of `rows` rows,
    /// and with `schedule: auto`, the schedule that suits that budget: what the trainer runs with and the model
    /// card records.
    public func resolvingEpochBudget(rows: Int) -> TrainingConfiguration {
        var resolved = self
        resolved.training.epochs = epochBudget.epochs(rows: rows)
        if automaticSchedule { resolved.training.schedule = EpochBudget.automaticSchedule(budget: epochBudget, rows: rows) }
        return resolved
    }
}
