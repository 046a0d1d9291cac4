import NPETensor

/// The shared machinery of first-order optimizers: the parameter list, the learning rate, the step count and
/// per-parameter state. A concrete optimizer supplies only its update rule (``update(_:gradient:state:)``),
/// in the spirit of mlx-swift's `OptimizerBase<State>`.
///
/// Parameters without a gradient (not reached by the last backward pass) are left unchanged.
open class Optimizer {
    public let parameters: [Variable]
    public var learningRate: Float
    /// Completed steps; Adam's bias correction reads it.
    public internal(set) var stepCount: Int = 0
    /// Per-parameter state slots (moments): `stateSlots` buffers of `parameter.count` floats each. Separate
    /// objects, so an update rule can hold two of them mutably at once.
    var state: [[StateBuffer]]
    let stateSlots: Int

    init(parameters: [Variable], learningRate: Float, stateSlots: Int) {
        self.parameters = parameters
        self.learningRate = learningRate
        self.stateSlots = stateSlots
        state = parameters.map { p in (0..<stateSlots).map { _ in StateBuffer(count: p.value.count) } }
    }

    /// Applies one update to every parameter that has a gradient.
    public func step() {
        stepCount += 1
        for (index, parameter) in parameters.enumerated() {
            guard let gradient = parameter.gradient else { continue }
            update(parameter, gradient: gradient, state: state[index])
        }
    }

    /// The update rule for one parameter, in place.
    open func update(_ parameter: Variable, gradient: Tensor, state: [StateBuffer]) {
        fatalError("\(type(of: self)) must override update(_:gradient:state:)")
    }

    /// Clears every parameter's gradient.
    public func zeroGradients() { for p in parameters { p.zeroGradient() } }

    /// The optimizer state as named tensors (`"<slot>.<index>"` plus `"step"`), for checkpoints.
    public func stateDictionary() -> [String: Tensor] {
        var out: [String: Tensor] = ["step": Tensor(scalar: Float(stepCount))]
        for (i, slots) in state.enumerated() {
            for (s, buffer) in slots.enumerated() {
                out["\(s).\(i)"] = try! Tensor(shape: parameters[i].shape, scalars: buffer.values)
            }
        }
        return out
    }

    /// Restores what ``stateDictionary()`` saved; shapes must match.
    public func loadState(_ dictionary: [String: Tensor]) throws {
        guard let step = dictionary["step"] else { throw ModuleError.missingParameter("step") }
        var restored = state.map { $0.map { $0.values } }
        for i in restored.indices {
            for s in 0..<stateSlots {
                let name = "\(s).\(i)"
                guard let t = dictionary[name] else { throw ModuleError.missingParameter(name) }
                guard t.shape == parameters[i].shape else {
                    throw ModuleError.parameterShapeMismatch(name: name, expected: parameters[i].shape, got: t.shape)
                }
                restored[i][s] = t.scalars
            }
        }
        for i in state.indices { for s in 0..<stateSlots { state[i][s].values = restored[i][s] } }
        stepCount = Int(step.scalarValue)
    }
}

/// One optimizer state slot for one parameter.
public final class StateBuffer {
    public var values: [Float]
    init(count: Int) { values = [Float](repeating: 0, count: count) }
}
