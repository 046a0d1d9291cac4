import Foundation
import NPEGAN
import NPETensor
import NPESupport

/// A small synthetic retrieval problem on the 52-bin grid, cheap enough to train a GAN on inside a test.
///
/// θ = (a, b, c) ∈ [0, 1]³ (prior box uniform): a sets the depth level over one decade, b the amplitude of an
/// absorption band centred on bin 26, c a linear slope:
///
///     x_j = 10^(−3 + a) · (1 + 0.6 b · exp(−(j − 26)² / 72)) · (1 + 0.4 c · j / 51)
///
/// Each parameter leaves a distinct mark on the image (the strips, the band shape in segments 1–2, the tilt of
/// every segment), so the inpainting can recover them and the test measures whether it does.
enum ToyProblem {
    static let low = [0.0, 0.0, 0.0]
    static let high = [1.0, 1.0, 1.0]

    static func spectrum(_ theta: [Float]) -> [Float] {
        (0..<52).map { j in
            let level = Float(pow(10, -3 + Double(theta[0])))
            let band = 1 + 0.6 * theta[1] * expf(-Float((j - 26) * (j - 26)) / 72)
            return level * band * (1 + 0.4 * theta[2] * Float(j) / 51)
        }
    }

    /// n rows of (θ, x), θ uniform in the box from draws of `seed`.
    static func rows(_ n: Int, seed: UInt64) throws -> (theta: Tensor, x: Tensor) {
        let theta = RandomStream(seed: seed, stream: 5).uniformTensor([n, 3])
        var x = [Float]()
        for r in 0..<n { x += spectrum(Array(theta.scalars[(3 * r)..<(3 * r + 3)])) }
        return (theta, try Tensor(shape: [n, 52], scalars: x))
    }

    static func encoding() throws -> ASPAEncoding {
        // Depths span 1e-3 … 2.2e-2; half a decade of margin on each side.
        try ASPAEncoding(parameterLow: low, parameterHigh: high, logDepthRange: -3.5...(-1.1))
    }

    static func architecture() throws -> GANArchitecture {
        try GANArchitecture(latentDimension: 8, baseChannels: 8, encoding: encoding())
    }
}

/// One GAN trained on the toy problem, shared by the tests that need a trained model (Swift initialises a
/// static once, thread-safely, even when tests run in parallel).
final class TrainedToyGAN: @unchecked Sendable {
    static let shared = Result<TrainedToyGAN, Error>(catching: { try TrainedToyGAN() })

    let model: ExoGANModel
    let history: [GANEpochMetrics]

    static let trainingRows = 4096
    static let batchSize = 64
    static let epochs = 8

    private init() throws {
        Engine.configure(blasThreads: 1)
        let (theta, x) = try ToyProblem.rows(Self.trainingRows, seed: 1)
        model = try ExoGANModel(architecture: ToyProblem.architecture(), seed: 3)
        var options = GANTrainingOptions()
        options.batchSize = Self.batchSize
        options.seed = 4
        let trainer = try GANTrainer(model: model, options: options)
        var history: [GANEpochMetrics] = []
        for epoch in 0..<Self.epochs {
            history.append(try trainer.trainEpoch(epoch, next: InMemoryBatches(theta: theta, x: x, batchSize: Self.batchSize,
                                                                               epoch: epoch).next))
        }
        self.history = history
    }
}

/// Shuffled in-memory batches (the test stand-in for the dataset stream), one worker's slice of each.
final class InMemoryBatches {
    let theta: Tensor, x: Tensor, batchSize: Int, rank: Int, workers: Int
    var order: [Int]
    var cursor = 0

    init(theta: Tensor, x: Tensor, batchSize: Int, epoch: Int, rank: Int = 0, workers: Int = 1) {
        self.theta = theta
        self.x = x
        self.batchSize = batchSize
        self.rank = rank
        self.workers = workers
        var generator = PhiloxGenerator(seed: 99, stream: UInt64(epoch))
        order = Array(0..<theta.shape[0]).shuffled(using: &generator)
    }

    func next() throws -> GANBatch? {
        guard cursor + batchSize <= order.count else { return nil }
        let global = Array(order[cursor..<(cursor + batchSize)])
        cursor += batchSize
        let mine = Array(global[(rank * batchSize / workers)..<((rank + 1) * batchSize / workers)])
        return GANBatch(rows: mine, theta: try theta.gatherRows(mine), x: try x.gatherRows(mine), globalCount: batchSize)
    }
}
