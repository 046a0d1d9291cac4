import NPEParallel
import NPETensor

extension Communicator {
    /// Sums the gradients of `parameters` across workers, in place, in one collective: all gradients are packed into
    /// one flat buffer (zeros for a parameter no gradient reached), all-reduced in rank order, and unpacked. Every
    /// worker must pass the same parameters in the same order. Nothing happens with one worker.
    ///
    /// Shared by the flow `Trainer` and NPEGAN's `GANTrainer`.
    public func allReduceGradients(_ parameters: [Variable]) throws {
        guard size > 1 else { return }
        var flat: [Float] = []
        flat.reserveCapacity(parameters.reduce(0) { $0 + $1.value.count })
        for p in parameters { flat += p.gradient?.scalars ?? [Float](repeating: 0, count: p.value.count) }
        try allReduceSum(&flat)
        var offset = 0
        for p in parameters {
            let n = p.value.count
            try p.setGradient(try Tensor(shape: p.shape, scalars: Array(flat[offset..<(offset + n)])))
            offset += n
        }
    }
}
