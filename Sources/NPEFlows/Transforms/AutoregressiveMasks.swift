import NPETensor

/// The connectivity of a conditional MADE (Germain, Gregor, Murray & Larochelle 2015, "MADE: Masked Autoencoder
/// for Distribution Estimation", arXiv:1502.03509).
///
/// Degrees: input dimension d (0-based) has degree d + 1, context inputs degree 0, hidden unit k of a layer of
/// width H degree ⌊k·D/H⌋ ∈ 0 … D − 1, and the P outputs of dimension d degree d + 1. A unit sees an input
/// when its degree is ≥ the input's, and an output sees a hidden unit when its degree is strictly greater, so
/// output d depends on x₀ … x_{d−1} and the context only.
///
/// Hidden degrees are assigned in *sorted* order, so the units of one degree form a contiguous block and "all
/// units of degree ≤ j" is a column prefix. Autoregressive sampling relies on this (see
/// ``AutoregressiveInverter``): the units of degree j can be computed once, as soon as x_{j−1} is known. Degree-0
/// units see only the context, so the first dimension is conditioned on it too.
struct AutoregressiveMasks {
    let featureCount: Int
    let contextCount: Int
    let hiddenWidths: [Int]
    let parameterCount: Int

    func hiddenDegree(_ unit: Int, width: Int) -> Int { unit * featureCount / width }

    /// Units of each hidden layer with degree exactly j, as column ranges (empty when the width is small).
    func blocks(width: Int) -> [Range<Int>] {
        var start = 0
        return (0..<featureCount).map { degree in
            var end = start
            while end < width, hiddenDegree(end, width: width) == degree { end += 1 }
            defer { start = end }
            return start..<end
        }
    }

    /// The mask of each layer, `[inputs, outputs]`: first layer over `[x, context]`, then hidden layers, then
    /// the output layer over D·P dimension-major parameters.
    func masks() -> [Tensor] {
        let d = featureCount
        var result: [Tensor] = []
        var inputDegrees = (0..<d).map { $0 + 1 } + Array(repeating: 0, count: contextCount)
        for width in hiddenWidths {
            let degrees = (0..<width).map { hiddenDegree($0, width: width) }
            var mask = Tensor.zeros([inputDegrees.count, width])
            for (i, di) in inputDegrees.enumerated() { for (k, dk) in degrees.enumerated() where dk >= di { mask[i, k] = 1 } }
            result.append(mask)
            inputDegrees = degrees
        }
        var output = Tensor.zeros([inputDegrees.count, d * parameterCount])
        for (i, di) in inputDegrees.enumerated() {
            for column in 0..<(d * parameterCount) where column / parameterCount + 1 > di { output[i, column] = 1 }
        }
        result.append(output)
        return result
    }
}
