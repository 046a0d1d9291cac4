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
                        Adam.fusedUpdate(
                            theta: theta.baseAddress!, gradient: g.baseAddress!, m: m.baseAddress!, v: v.baseAddress!,
                            count: theta.count, beta1: b1, beta2: b2, epsilon: eps, l2: l2, decay: decay,
                            stepSize: stepSize, inverseSqrtCorrection2: inverseSqrtCorrection2)
                    }
                }
            }
        }
    }

    /// The Adam update over raw buffers, eight lanes at a time. Written with explicit SIMD because the four
    /// buffers may alias as far as the compiler knows, which keeps it from vectorising the scalar loop.
    static func fusedUpdate(
        theta: UnsafeMutablePointer<Float>, gradient: UnsafePointer<Float>, m: UnsafeMutablePointer<Float>,
        v: UnsafeMutablePointer<Float>, count: Int, beta1: Float, beta2: Float, epsilon: Float, l2: Float,
        decay: Float, stepSize: Float, inverseSqrtCorrection2: Float
    ) {
        typealias V8 = SIMD8<Float>
        let lanes = 8
        var i = 0
        while i + lanes <= count {
            let t = UnsafeRawPointer(theta + i).loadUnaligned(as: V8.self)
            let gi = UnsafeRawPointer(gradient + i).loadUnaligned(as: V8.self) + l2 * t
            let mi = beta1 * UnsafeRawPointer(m + i).loadUnaligned(as: V8.self) + (1 - beta1) * gi
            let vi = beta2 * UnsafeRawPointer(v + i).loadUnaligned(as: V8.self) + (1 - beta2) * gi * gi
            let updated = t * decay - stepSize * mi / (vi.squareRoot() * inverseSqrtCorrection2 + epsilon)
            UnsafeMutableRawPointer(m + i).storeBytes(of: mi, as: V8.self)
            UnsafeMutableRawPointer(v + i).storeBytes(of: vi, as: V8.self)
            UnsafeMutableRawPointer(theta + i).storeBytes(of: updated, as: V8.self)
            i += lanes
        }
        while i < count {
            let gi = gradient[i] + l2 * theta[i]
            m[i] = beta1 * m[i] + (1 - beta1) * gi
            v[i] = beta2 * v[i] + (1 - beta2) * gi * gi
            theta[i] = theta[i] * decay - stepSize * m[i] / (v[i].squareRoot() * inverseSqrtCorrection2 + epsilon)
            i += 1
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
