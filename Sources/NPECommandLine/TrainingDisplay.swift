import Foundation
import NPEModelKinds

/// What `npe-train` shows on stderr: a bar per epoch (step, loss, last validation loss, samples/s, ETA), a line
/// per finished epoch (the kind writes it), and a summary. Plain lines instead of a redrawn bar when stderr is not
/// a terminal.
final class TrainingDisplay {
    private let bar = ProgressBar()
    private let epochs: Int
    private let batchSize: Int
    private var epochStart = Date()
    private var currentEpoch = -1
    private var stepsAtStart = 0
    private var lastValidation: Float?

    init(epochs: Int, batchSize: Int) {
        self.epochs = epochs
        self.batchSize = batchSize
    }

    var events: TrainingEvents {
        TrainingEvents(onStep: { [self] in step(epoch: $0, step: $1, of: $2, loss: $3) },
                       onEpoch: { [self] in finished(epoch: $0, validationLoss: $1, line: $2) })
    }

    func message(_ text: String) { bar.message(text) }

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

    private func finished(epoch: Int, validationLoss: Float?, line: String) {
        lastValidation = validationLoss
        bar.message(line)
        currentEpoch = -1
    }

    func finish() { bar.finish() }
}
