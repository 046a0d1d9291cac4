import Foundation
import NPESupport

/// `card.json`: everything needed to use, reproduce and audit one published model version.
///
/// Typed fields carry what every model has; ``JSONValue`` fields carry what depends on the model kind (the
/// architecture, the prior of each parameter, the noise model, the training configuration). The registry fills in
/// ``name``, ``version``, ``createdAt`` and ``weights`` when publishing; callers set the rest.
///
/// Format version 1. A reader refuses any other version with
/// ``RegistryError/unsupportedFormatVersion(path:found:supported:)`` instead of guessing: new fields mean a new
/// format version. The byte-level layout is specified in `docs/registry-format.md`.
public struct ModelCard: Codable, Equatable, Sendable {
    /// The card format this library writes and reads.
    public static let currentFormatVersion = 1

    /// The card format version (``currentFormatVersion`` when written by this library).
    public var formatVersion: Int
    /// The model name (set by the registry).
    public var name: String
    /// The version number, 1, 2, 3, ... (set by the registry).
    public var version: Int
    /// What kind of model the weights are, e.g. `npe-flow` or `exogan`; consumers dispatch on it.
    public var kind: String
    /// The full architecture description, enough to rebuild the network before loading the weights.
    public var architecture: JSONValue
    /// The inferred parameters theta, in the order of the network's output.
    public var parameters: [ParameterDescription]
    /// The wavelength grid the model expects its spectra on, when its input is a spectrum.
    public var inputGrid: InputGrid?
    /// Auxiliary inputs the network is conditioned on besides the spectrum (e.g. stellar radius).
    public var contextInputs: [ContextInput]
    /// Standardisation statistics by the name of the quantity they apply to (`x`, `theta`, `context`, ...).
    public var standardisation: [String: StandardisationStatistics]
    /// The instrument noise model applied at training time.
    public var noiseModel: JSONValue
    /// Where the training data came from.
    public var dataset: DatasetLineage
    /// How the model was trained.
    public var training: TrainingRecord
    /// Summary metrics (final losses and the like) by name. Must be finite: JSON cannot spell NaN.
    public var metrics: [String: Double]
    /// When the version was published (set by the registry, whole seconds, UTC).
    public var createdAt: Date
    /// The ExoNPE version that produced the model.
    public var toolVersion: String
    /// The weights file and its digest (set by the registry).
    public var weights: WeightsRecord

    /// A card for publishing. The registry fills in `name`, `version`, `createdAt` and `weights`.
    public init(
        kind: String, architecture: JSONValue, parameters: [ParameterDescription], inputGrid: InputGrid? = nil,
        contextInputs: [ContextInput] = [], standardisation: [String: StandardisationStatistics] = [:],
        noiseModel: JSONValue = .null, dataset: DatasetLineage, training: TrainingRecord,
        metrics: [String: Double] = [:], toolVersion: String
    ) {
        self.formatVersion = Self.currentFormatVersion
        self.name = ""
        self.version = 0
        self.kind = kind
        self.architecture = architecture
        self.parameters = parameters
        self.inputGrid = inputGrid
        self.contextInputs = contextInputs
        self.standardisation = standardisation
        self.noiseModel = noiseModel
        self.dataset = dataset
        self.training = training
        self.metrics = metrics
        self.createdAt = Date(timeIntervalSince1970: 0)
        self.toolVersion = toolVersion
        self.weights = WeightsRecord(file: ModelRegistry.weightsFileName, sha256: "", byteCount: 0)
    }
}

/// One inferred parameter: its name, unit and prior (the prior's shape depends on its family, hence JSON,
/// e.g. `{"family": "uniform", "low": 0.0, "high": 1.0}`).
public struct ParameterDescription: Codable, Equatable, Sendable {
    /// The parameter's name as the simulator and prior know it (e.g. `log_g`).
    public var name: String
    /// Its physical unit (e.g. `K`, `cm s^-2`; empty for dimensionless).
    public var unit: String
    /// Its prior, in the prior file's own terms.
    public var prior: JSONValue

    public init(name: String, unit: String, prior: JSONValue) {
        self.name = name
        self.unit = unit
        self.prior = prior
    }
}

/// The spectral grid the model reads: bin centres and (optionally) full bin widths, in `unit`.
public struct InputGrid: Codable, Equatable, Sendable {
    /// Bin centres, in the order of the network's input.
    public var wavelengths: [Double]
    /// Full bin widths, one per wavelength, when the grid is binned.
    public var binWidths: [Double]?
    /// Unit of both arrays (`um`, micrometres, by default).
    public var unit: String

    /// The unit of a non-spectral input: `wavelengths` are then the feature indices 0, 1, …, M−1.
    public static let indexUnit = "index"

    public init(wavelengths: [Double], binWidths: [Double]? = nil, unit: String = "um") {
        self.wavelengths = wavelengths
        self.binWidths = binWidths
        self.unit = unit
    }
}

/// An auxiliary network input such as a stellar radius.
public struct ContextInput: Codable, Equatable, Sendable {
    public var name: String
    public var unit: String

    public init(name: String, unit: String) {
        self.name = name
        self.unit = unit
    }
}

/// Per-feature mean and standard deviation used to standardise a quantity: `z = (value - mean) / standardDeviation`.
public struct StandardisationStatistics: Codable, Equatable, Sendable {
    public var mean: [Double]
    public var standardDeviation: [Double]

    public init(mean: [Double], standardDeviation: [Double]) {
        self.mean = mean
        self.standardDeviation = standardDeviation
    }
}

/// The training dataset's identity: enough to find it again and to prove it is the same data.
public struct DatasetLineage: Codable, Equatable, Sendable {
    /// Where the dataset was read from, as given at training time.
    public var path: String
    /// Content digest of the dataset (e.g. `sha256:...`), as the dataset reports it.
    public var digest: String
    /// Number of rows (simulations) in the dataset.
    public var rowCount: Int
    /// The simulator that produced it.
    public var simulator: SimulatorLineage

    public init(path: String, digest: String, rowCount: Int, simulator: SimulatorLineage) {
        self.path = path
        self.digest = digest
        self.rowCount = rowCount
        self.simulator = simulator
    }
}

/// The simulator that generated a dataset, as recorded in its provenance.
public struct SimulatorLineage: Codable, Equatable, Sendable {
    /// The simulator's stable identifier.
    public var name: String
    /// The simulator's own version.
    public var version: String
    /// Settings that change its outputs.
    public var configuration: [String: String]

    public init(name: String, version: String, configuration: [String: String] = [:]) {
        self.name = name
        self.version = version
        self.configuration = configuration
    }
}

/// The training configuration (free-form, whatever the trainer's typed configuration encodes to) and its seed.
public struct TrainingRecord: Codable, Equatable, Sendable {
    /// The trainer's configuration, as it encodes itself.
    public var configuration: JSONValue
    /// The seed every random draw of training derives from.
    public var seed: UInt64

    public init(configuration: JSONValue, seed: UInt64) {
        self.configuration = configuration
        self.seed = seed
    }
}

/// The weights file of a version: its name inside the version directory, format, SHA-256 and size.
public struct WeightsRecord: Codable, Equatable, Sendable {
    /// File name inside the version directory (always `weights.safetensors` in format 1).
    public var file: String
    /// Always `safetensors` in format 1.
    public var format: String
    /// Lowercase hexadecimal SHA-256 of the whole file.
    public var sha256: String
    /// File size in bytes.
    public var byteCount: Int

    public init(file: String, format: String = "safetensors", sha256: String, byteCount: Int) {
        self.file = file
        self.format = format
        self.sha256 = sha256
        self.byteCount = byteCount
    }
}
