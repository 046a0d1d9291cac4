import Foundation

/// What one `npe-train` invocation asks for, after argument parsing and configuration loading.
public struct TrainingRequest: Sendable {
    /// A dataset directory (holding `dataset.h5`) or the dataset file itself.
    public var dataset: URL
    /// The model registry's root directory (created when missing).
    public var registry: URL
    /// The model name; the run publishes its next version.
    public var modelName: String
    /// The effective configuration (defaults, then the file, then flags).
    public var configuration: TrainingConfiguration
    /// The configuration file's text, stored with the model as `train.yaml` (nil without a file).
    public var configurationText: String?
    /// Holds `checkpoint.safetensors` and `metrics.jsonl` while training.
    public var checkpointDirectory: URL
    /// Continue the run whose checkpoint is in ``checkpointDirectory``.
    public var resume: Bool

    public init(dataset: URL, registry: URL, modelName: String, configuration: TrainingConfiguration,
                configurationText: String? = nil, checkpointDirectory: URL, resume: Bool) {
        self.dataset = dataset
        self.registry = registry
        self.modelName = modelName
        self.configuration = configuration
        self.configurationText = configurationText
        self.checkpointDirectory = checkpointDirectory
        self.resume = resume
    }

    /// The dataset file: `DIR/dataset.h5` for a directory, else the path itself.
    public var datasetFile: URL {
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: dataset.path, isDirectory: &isDirectory), isDirectory.boolValue {
            return dataset.appendingPathComponent("dataset.h5")
        }
        return dataset
    }

    public var checkpointURL: URL { checkpointDirectory.appendingPathComponent("checkpoint.safetensors") }
    public var metricsURL: URL { checkpointDirectory.appendingPathComponent("metrics.jsonl") }
}
