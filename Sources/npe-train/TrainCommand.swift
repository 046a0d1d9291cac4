import ArgumentParser
import Foundation
import NPECommandLine
import NPEModelKinds
import NPETraining

struct TrainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "npe-train",
        abstract: "Train a neural posterior estimator on a dataset and publish it as the next version of a model.",
        discussion: """
            Settings come from the defaults, then --config, then the flags below (docs/training.md lists every \
            key). --workers N trains N thread replicas on slices of each batch (BLAS one thread each); under \
            `mpirun -np N` each rank is one worker. Results depend on --seed and the batch size, not on the \
            worker count (up to float summation order). A checkpoint is written every epoch; after a crash or \
            Ctrl-C, rerun the same command with --resume. --kind exogan trains the ExoGAN baseline instead \
            (the config's exogan: section; --batch-size and --learning-rate then set exogan.batch_size and \
            exogan.learning_rate; docs/exogan.md).
            """)

    @Option(help: "What to train: \(ModelKinds.trainingNames.joined(separator: " or ")) (flow: a neural posterior estimator; exogan: the ExoGAN baseline).")
    var kind = "flow"

    @Option(help: "Dataset directory (holding dataset.h5) or dataset file.")
    var dataset: String

    @Option(help: "Model registry directory (created if missing).")
    var registry: String

    @Option(help: "Model name; the run publishes its next version.")
    var name: String

    @Option(help: "Training configuration YAML.")
    var config: String?

    @Option(help: "Thread workers (data-parallel replicas). Under mpirun, one per rank.")
    var workers: Int = 1

    @Option(help: "Maximum epochs (overrides the config).")
    var epochs: Int?

    @Option(help: "Seed of the split, shuffles, noise and initial weights (overrides the config).")
    var seed: UInt64?

    @Option(help: "Global batch size (overrides the config).")
    var batchSize: Int?

    @Option(help: "Learning rate (overrides the config).")
    var learningRate: Float?

    @Flag(help: "Continue the run whose checkpoint is in --checkpoint-dir.")
    var resume = false

    @Option(help: "Where the checkpoint and metrics log live while training (default: checkpoints/NAME).")
    var checkpointDir: String?

    func validate() throws {
        guard workers >= 1 else { throw ValidationError("--workers must be ≥ 1 (got \(workers))") }
        guard ModelKinds.kind(trainingName: kind) != nil else {
            throw ValidationError("--kind must be one of \(ModelKinds.trainingNames.joined(separator: ", ")) (got '\(kind)')")
        }
    }

    func run() throws {
        let modelKind = ModelKinds.kind(trainingName: kind)!
        try TrainingCommandRunner.train(kind: modelKind, workers: workers) {
            var configuration = ModelKinds.defaultConfiguration()
            var text: String?
            if let config {
                let url = URL(fileURLWithPath: config)
                configuration = try TrainingConfiguration(contentsOfYAML: url, sections: ModelKinds.configurationSections)
                text = try? String(contentsOf: url, encoding: .utf8)
            }
            configuration = try modelKind.applying(
                TrainingConfiguration.Overrides(epochs: epochs, seed: seed, batchSize: batchSize, learningRate: learningRate), to: configuration)
            return TrainingRequest(
                dataset: URL(fileURLWithPath: dataset), registry: URL(fileURLWithPath: registry), modelName: name,
                configuration: configuration, configurationText: text,
                checkpointDirectory: URL(fileURLWithPath: checkpointDir ?? "checkpoints/\(name)"), resume: resume)
        }
    }
}
