/// A node of the define-by-run autograd graph: a ``Tensor`` value plus, when it was produced by a recorded op,
/// that op and its inputs.
///
/// Leaves created with `requiresGradient: true` are trainable parameters; their ``gradient`` accumulates (`+=`)
/// over ``backward(seed:)`` calls until ``zeroGradient()``. An op records itself only when gradient mode is on
/// (see ``GradientMode``) and at least one input requires a gradient; otherwise its result is a plain constant
/// and nothing is kept, which is what makes inference cheap.
public final class Variable {
    /// The forward value. Only leaves may change it, through ``updateValue(_:)`` or ``assign(_:)``.
    public private(set) var value: Tensor
    /// d(root)/d(self) after a backward pass; nil until one reaches this variable.
    public internal(set) var gradient: Tensor?
    /// Whether gradients flow to (or through) this variable. Fixed for recorded results; a leaf may be frozen
    /// and unfrozen with ``setRequiresGradient(_:)``.
    public private(set) var requiresGradient: Bool
    let operation: Operation?
    let inputs: [Variable]

    /// A leaf. Trainable parameters pass `requiresGradient: true`.
    public init(_ value: Tensor, requiresGradient: Bool = false) {
        self.value = value
        self.requiresGradient = requiresGradient
        self.operation = nil
        self.inputs = []
    }

    init(value: Tensor, operation: Operation, inputs: [Variable]) {
        self.value = value
        self.requiresGradient = true
        self.operation = operation
        self.inputs = inputs
    }

    public var shape: [Int] { value.shape }
    public var isLeaf: Bool { operation == nil }

    /// Clears the accumulated gradient.
    public func zeroGradient() { gradient = nil }

    /// Freezes (`false`) or unfreezes (`true`) a leaf. Ops recorded while a parameter is frozen treat it as a
    /// constant, so back-propagation neither computes nor accumulates its gradient: differentiating a trained
    /// network with respect to its input only (inpainting) then skips every weight-gradient product.
    public func setRequiresGradient(_ flag: Bool) {
        precondition(isLeaf, "setRequiresGradient(_:) on a recorded (non-leaf) variable")
        requiresGradient = flag
    }

    /// Replaces a leaf's value with one of the same shape (loading weights, broadcasting parameters).
    public func assign(_ newValue: Tensor) throws {
        precondition(isLeaf, "assign(_:) on a recorded (non-leaf) variable")
        guard newValue.shape == value.shape else {
            throw TensorError.shapeMismatch(op: "assign", lhs: value.shape, rhs: newValue.shape)
        }
        value = newValue
    }

    /// In-place update of a leaf's elements (optimizer steps).
    public func updateValue(_ body: (UnsafeMutableBufferPointer<Float>) -> Void) {
        precondition(isLeaf, "updateValue(_:) on a recorded (non-leaf) variable")
        value.scalars.withUnsafeMutableBufferPointer { body($0) }
    }

    /// Sets or accumulates a leaf's gradient directly (all-reduce writes averaged gradients back this way).
    public func setGradient(_ newGradient: Tensor?) throws {
        if let newGradient, newGradient.shape != value.shape {
            throw TensorError.shapeMismatch(op: "setGradient", lhs: value.shape, rhs: newGradient.shape)
        }
        gradient = newGradient
    }

    /// Reverse-mode sweep from this variable.
    ///
    /// The graph is sorted topologically (iterative depth-first search, so deep flows cannot overflow the
    /// stack), then each node's output gradient is pushed through its op's vector–Jacobian product (all rules
    /// in ``Gradients``) and added into its inputs'. Intermediate gradients are released as soon as they are
    /// used; leaves keep theirs.
    ///
    /// - Parameter seed: d(root)/d(self); defaults to 1 for a one-element result.
    public func backward(seed: Tensor? = nil) throws {
        guard requiresGradient else {
            throw TensorError.notDifferentiable("the value does not depend on any variable that requires a gradient")
        }
        let start: Tensor
        if let seed {
            guard seed.shape == value.shape else {
                throw TensorError.shapeMismatch(op: "backward (seed)", lhs: value.shape, rhs: seed.shape)
            }
            start = seed
        } else {
            guard value.count == 1 else {
                throw TensorError.notDifferentiable("backward() without a seed needs a one-element result, got \(value.shape)")
            }
            start = Tensor(repeating: 1, shape: value.shape)
        }

        let order = topologicalOrder()
        var pending: [ObjectIdentifier: Tensor] = [ObjectIdentifier(self): start]
        for node in order.reversed() {
            guard let outputGradient = pending.removeValue(forKey: ObjectIdentifier(node)) else { continue }
            guard let operation = node.operation else {
                node.gradient = node.gradient.map { $0.adding(outputGradient) } ?? outputGradient
                continue
            }
            let needed = node.inputs.map(\.requiresGradient)
            let inputGradients = try Gradients.vectorJacobianProducts(
                of: operation, inputs: node.inputs.map(\.value), output: node.value,
                outputGradient: outputGradient, needed: needed)
            for (input, inputGradient) in zip(node.inputs, inputGradients) where input.requiresGradient {
                guard let inputGradient else { continue }
                let key = ObjectIdentifier(input)
                if let existing = pending[key] {
                    pending[key] = existing.adding(inputGradient)
                } else {
                    pending[key] = inputGradient
                }
            }
        }
    }

    /// Nodes that require gradients, each after all of its inputs.
    func topologicalOrder() -> [Variable] {
        var order: [Variable] = []
        var visited = Set<ObjectIdentifier>()
        var stack: [(Variable, Int)] = [(self, 0)]
        visited.insert(ObjectIdentifier(self))
        while let (node, next) = stack.popLast() {
            if next < node.inputs.count {
                stack.append((node, next + 1))
                let input = node.inputs[next]
                if input.requiresGradient, visited.insert(ObjectIdentifier(input)).inserted {
                    stack.append((input, 0))
                }
            } else {
                order.append(node)
            }
        }
        return order
    }
}

extension Tensor {
    /// Same-shape addition for gradient accumulation.
    func adding(_ other: Tensor) -> Tensor {
        var result = self
        result.scalars.withUnsafeMutableBufferPointer { r in
            other.scalars.withUnsafeBufferPointer { o in for i in 0..<r.count { r[i] += o[i] } }
        }
        return result
    }
}
