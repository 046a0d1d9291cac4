import Foundation
import NPECommandLine
import NPEFlows
import NPETraining

/// What `npe-train` shows on stderr: a bar per epoch (step, loss, last validation loss, samples/s, ETA), a line
/// per finished epoch, and a summary. Plain lines instead of a redrawn bar when stderr is not a terminal.
final class TrainingProgress {
    private let bar = ProgressBar()
    private let epochs: Int
    private let batchSize: Int
    private var epochStart = Date()
    private var currentEpoch = -1
    private var stepsAtStart = 0
    private var lastValidation: Float?
    private var bestValidation = Float.infinity

    init(epochs: Int, batchSize: Int) {
        self.epochs = epochs
        self.batchSize = batchSize
    }

    var observers: TrainingSession.Observers {
        TrainingSession.Observers(onStep: { [self] in step(epoch: $0, step: $1, of: $2, loss: $3) },
                                  onEpoch: { [self] in finished($0) })
    }

    func announce(_ session: TrainingSession, workers: Int) {
        let c = session.request.configuration
        let noise = session.noise.map { "\($0.source) (\($0.sigmaRows.count) σ rows" + ($0.scaleRange.map { ", scale \($0.lowerBound)–\($0.upperBound)" } ?? "") + ")" } ?? "none"
        bar.message("""
            dataset: \(session.request.datasetFile.path) (\(session.rowCount) rows, θ \(session.metadata.parameterCount), \
            context \(session.metadata.contextCount), x \(session.metadata.featureCount))
            model: \(c.flow.kind.rawValue) × \(c.flow.transforms), hidden \(c.flow.hiddenWidths), embedding \
            \(c.embedding.kind.rawValue); noise: \(noise); noise-level input: \(session.architecture.noiseLevelInput)
            batch \(c.training.batchSize), learning rate \(c.training.learningRate), up to \(c.training.epochs) epochs, \
            \(workers) worker\(workers == 1 ? "" : "s")\(session.request.resume ? ", resuming" : "")
            """)
        if let mask = session.mask {
            let segments = mask.segments.map { "\($0.name) \($0.first == $0.last ? "\($0.first)" : "\($0.first)–\($0.last)")" }
            bar.message(String(format: "masks: %.2g of rows each epoch; ", mask.probability)
                + (segments.isEmpty ? "no segments" : "segments \(segments.joined(separator: ", ")) dropped with p \(mask.segmentProbability)")
                + "; single bins at a rate up to \(mask.randomBinRate)")
        }
        if session.rejectedFraction > 0 {
            bar.message(String(format: "outlier filter: %.2f%% of the sampled training rows have x beyond %g robust σ and are skipped",
                               100 * session.rejectedFraction, c.training.outlierLimit ?? 0))
        }
    }

    private func step(epoch: Int, step: Int, of steps: Int, loss: Float) {
        if epoch != currentEpoch {
            // Rates count from the end of the epoch's first step (which may include a resume's catch-up).
            currentEpoch = epoch
            epochStart = Date()
            stepsAtStart = step
        }
        let elapsed = Date().timeIntervalSince(epochStart)
        let done = step - stepsAtStart
        let rate = done > 0 ? String(format: "%.0f", Double(done * batchSize) / max(elapsed, 1e-9)) : "-"
        let eta = done > 0 ? ProgressBar.duration(elapsed / Double(done) * Double(max(steps - step, 0))) : "--:--"
        let validation = lastValidation.map { String(format: "%.4f", $0) } ?? "-"
        let text = String(format: "epoch %d/%d  step %d/%d  loss %.4f  val %@  %@ samples/s  ETA %@",
                          epoch + 1, epochs, step, steps, loss, validation, rate, eta)
        bar.show(fraction: Double(step) / Double(max(steps, 1)), text: text, always: step == steps)
    }

    private func finished(_ m: EpochMetrics) {
        lastValidation = m.validationLoss
        let improved = m.validationLoss < bestValidation
        bestValidation = min(bestValidation, m.validationLoss)
        bar.message(String(format: "epoch %d/%d: loss %.4f  val %.4f%@  lr %.2e  %.0f samples/s  %.1f s",
                           m.epoch + 1, epochs, m.trainingLoss, m.validationLoss, improved ? " (best)" : "",
                           m.learningRate, m.samplesPerSecond, m.seconds))
        currentEpoch = -1
    }

    func finish() { bar.finish() }

    func summarize(_ result: Trainer<NeuralPosteriorEstimator>.Result) {
        let reason = result.stoppedEarly ? "stopped early (no improvement)" : "epoch budget reached"
        bar.message(String(format: "%@ after %d epochs; best validation loss %.4f at epoch %d", reason,
                           result.history.count, result.bestValidationLoss, result.bestEpoch + 1))
    }
}
