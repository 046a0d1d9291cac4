import Foundation
import NPETensor

/// Adam (Kingma & Ba 2015, arXiv:1412.6980), with optional L2 weight decay added to the gradient (as
/// PyTorch's `Adam(weight_decay:)` does):
///
///     g ← g + λθ;  m ← β₁m + (1−β₁)g;  v ← β₂v + (1−β₂)g²;
///     θ ← θ − η · (m / (1−β₁ᵗ)) / (√(v / (1−β₂ᵗ)) + ε)
///
/// One fused pass over each parameter: no temporaries.
open class Adam: Optimizer {
    public let beta1: Float
    public let beta2: Float
    public let epsilon: Float
    public let weightDecay: Float

    public init(parameters: [Variable], learningRate: Float = 1e-3, beta1: Float = 0.9, beta2: Float = 0.999,
                epsilon: Float = 1e-8, weightDecay: Float = 0) {
        self.beta1 = beta1
        self.beta2 = beta2
        self.epsilon = epsilon
        self.weightDecay = weightDecay
        super.init(parameters: parameters, learningRate: learningRate, stateSlots: 2)
    }

    /// The factor θ is multiplied by before the Adam step: 1 here, 1 − ηλ for AdamW.
    var decoupledDecayFactor: Float { 1 }
    /// The L2 coefficient folded into the gradient: λ here, 0 for AdamW.
    var coupledDecay: Float { weightDecay }

    open override func update(_ parameter: Variable, gradient: Tensor, state: [StateBuffer]) {
        let t = Float(stepCount)
        let correction1 = 1 - powf(beta1, t), correction2 = 1 - powf(beta2, t)
        let stepSize = learningRate / correction1
        let (b1, b2, eps, l2, decay) = (beta1, beta2, epsilon, coupledDecay, decoupledDecayFactor)
        let inverseSqrtCorrection2 = 1 / correction2.squareRoot()
        parameter.updateValue { theta in
            gradient.scalars.withUnsafeBufferPointer { g in
                state[0].values.withUnsafeMutableBufferPointer { m in
                    state[1].values.withUnsafeMutableBufferPointer { v in
                        for i in 0..<theta.count {
                            let gi = g[i] + l2 * theta[i]
                            m[i] = b1 * m[i] + (1 - b1) * gi
                            v[i] = b2 * v[i] + (1 - b2) * gi * gi
                            theta[i] = theta[i] * decay - stepSize * m[i] / (v[i].squareRoot() * inverseSqrtCorrection2 + eps)
                        }
                    }
                }
            }
        }
    }
}

/// AdamW (Loshchilov & Hutter 2019, "Decoupled weight decay regularization", arXiv:1711.05101): the decay is
/// applied to θ directly, θ ← θ(1 − ηλ), instead of through the gradient, so it is not rescaled by Adam's
/// per-coordinate step sizes.
public final class AdamW: Adam {
    public override init(parameters: [Variable], learningRate: Float = 1e-3, beta1: Float = 0.9, beta2: Float = 0.999,
                         epsilon: Float = 1e-8, weightDecay: Float = 1e-2) {
        super.init(parameters: parameters, learningRate: learningRate, beta1: beta1, beta2: beta2,
                   epsilon: epsilon, weightDecay: weightDecay)
    }
    override var decoupledDecayFactor: Float { 1 - learningRate * weightDecay }
    override var coupledDecay: Float { 0 }
}
