import Foundation

/// Cosine annealing from `base` to `minimum` over `totalSteps` (Loshchilov & Hutter 2017, SGDR,
/// arXiv:1608.03983), after an optional linear warm-up:
/// η(t) = min + ½(base − min)(1 + cos(π t / T)).
public struct CosineSchedule: Codable, Sendable, Equatable {
    public var base: Float
    public var minimum: Float
    public var totalSteps: Int
    public var warmupSteps: Int

    public init(base: Float, minimum: Float = 0, totalSteps: Int, warmupSteps: Int = 0) {
        self.base = base
        self.minimum = minimum
        self.totalSteps = max(totalSteps, 1)
        self.warmupSteps = max(warmupSteps, 0)
    }

    /// The learning rate at `step` (0-based).
    public func learningRate(atStep step: Int) -> Float {
        if step < warmupSteps { return base * Float(step + 1) / Float(warmupSteps) }
        let progress = min(Float(step - warmupSteps) / Float(max(totalSteps - warmupSteps, 1)), 1)
        return minimum + 0.5 * (base - minimum) * (1 + cosf(.pi * progress))
    }
}

/// Reduce-on-plateau: multiply the rate by `factor` when the monitored loss has not improved by more than
/// `threshold` (relative) for `patience` consecutive epochs, never going below `minimum`. Codable, so a
/// checkpoint resumes it exactly.
public struct ReduceOnPlateau: Codable, Sendable, Equatable {
    public var learningRate: Float
    public var factor: Float
    public var patience: Int
    public var minimum: Float
    public var threshold: Float
    public private(set) var best: Float = .infinity
    public private(set) var epochsWithoutImprovement = 0

    public init(learningRate: Float, factor: Float = 0.5, patience: Int = 10, minimum: Float = 1e-6, threshold: Float = 1e-4) {
        self.learningRate = learningRate
        self.factor = factor
        self.patience = patience
        self.minimum = minimum
        self.threshold = threshold
    }

    /// Records an epoch's loss and returns the learning rate for the next epoch.
    public mutating func record(loss: Float) -> Float {
        if loss < best - threshold * abs(best) || !best.isFinite {
            best = loss
            epochsWithoutImprovement = 0
        } else {
            epochsWithoutImprovement += 1
            if epochsWithoutImprovement > patience {
                learningRate = max(learningRate * factor, minimum)
                epochsWithoutImprovement = 0
            }
        }
        return learningRate
    }
}
