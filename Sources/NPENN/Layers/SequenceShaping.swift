import NPETensor

/// Shape operations on channels-last sequences `[n, length, channels]` that a 1-D U-Net needs: skip connections
/// (channel concatenation), nearest-neighbour upsampling, and zero padding or cropping of the length axis.
///
/// Each is a composition of ``Variable/reshaped(_:)``, ``Variable/concatenateColumns(_:)`` and
/// ``Variable/sliceColumns(_:)``, whose backward rules are the engine's (a reshape is free: the layout is
/// row-major), so the gradients need no new rule; the tests check them by finite differences all the same.
extension Variable {
    /// `[n, L, C₁], [n, L, C₂], … → [n, L, C₁ + C₂ + …]`: a U-Net skip connection (Ronneberger, Fischer & Brox
    /// 2015, "U-Net", arXiv:1505.04597), joining an encoder stage to the decoder stage of the same length.
    public static func concatenateChannels(_ parts: [Variable]) throws -> Variable {
        guard let first = parts.first, first.shape.count == 3 else {
            throw TensorError.invalidShape(parts.first?.shape ?? [], op: "concatenateChannels (expects [n, length, channels] parts)")
        }
        let (n, length) = (first.shape[0], first.shape[1])
        for part in parts where part.shape.count != 3 || part.shape[0] != n || part.shape[1] != length {
            throw TensorError.shapeMismatch(op: "concatenateChannels", lhs: first.shape, rhs: part.shape)
        }
        // Each (sample, position) becomes one row; its channels are the columns.
        let joined = try concatenateColumns(parts.map { try $0.reshaped([n * length, $0.shape[2]]) })
        return try joined.reshaped([n, length, joined.shape[1]])
    }

    /// `[n, L, C] → [n, factor·L, C]`, each position repeated `factor` times (nearest-neighbour upsampling). The
    /// adjoint sums the gradients of the copies.
    public func upsampledLength(by factor: Int) throws -> Variable {
        guard shape.count == 3, factor >= 1 else {
            throw TensorError.invalidShape(shape, op: "upsampledLength(by: \(factor)) (expects [n, length, channels], factor ≥ 1)")
        }
        let (n, length, channels) = (shape[0], shape[1], shape[2])
        guard factor > 1 else { return self }
        // Row (i, l) of [n·L, C] repeated side by side is positions f·l ..< f·l + f of the output, row-major.
        let rows = try reshaped([n * length, channels])
        return try Variable.concatenateColumns([Variable](repeating: rows, count: factor)).reshaped([n, factor * length, channels])
    }

    /// `[n, L, C] → [n, L + extra, C]` with zeros appended at the end of the length axis.
    public func paddedLength(by extra: Int) throws -> Variable {
        guard shape.count == 3, extra >= 0 else {
            throw TensorError.invalidShape(shape, op: "paddedLength(by: \(extra)) (expects [n, length, channels], extra ≥ 0)")
        }
        guard extra > 0 else { return self }
        let (n, length, channels) = (shape[0], shape[1], shape[2])
        let zeros = Variable(Tensor.zeros([n, extra * channels]))
        return try Variable.concatenateColumns([reshaped([n, length * channels]), zeros]).reshaped([n, length + extra, channels])
    }

    /// `[n, L, C] → [n, length, C]`: the first `length` positions (the inverse of ``paddedLength(by:)``).
    public func croppedLength(to length: Int) throws -> Variable {
        guard shape.count == 3, (0...shape[1]).contains(length) else {
            throw TensorError.invalidShape(shape, op: "croppedLength(to: \(length)) (expects [n, length ≥ \(length), channels])")
        }
        let (n, full, channels) = (shape[0], shape[1], shape[2])
        guard length < full else { return self }
        return try reshaped([n, full * channels]).sliceColumns(0..<(length * channels)).reshaped([n, length, channels])
    }
}
