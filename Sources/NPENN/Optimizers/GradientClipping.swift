import NPETensor

/// Global-norm gradient clipping (Pascanu, Mikolov & Bengio 2013): when ‖g‖₂ over all parameters exceeds
/// `maxNorm`, every gradient is scaled by maxNorm / ‖g‖₂, preserving the update's direction.
///
/// - Returns: the norm before clipping (worth logging: a spike precedes most divergences).
@discardableResult
public func clipGradientNorm(_ parameters: [Variable], maxNorm: Float) -> Float {
    var total: Double = 0
    for p in parameters {
        guard let g = p.gradient else { continue }
        g.scalars.withUnsafeBufferPointer { for v in $0 { total += Double(v) * Double(v) } }
    }
    let norm = Float(total.squareRoot())
    guard norm > maxNorm, norm.isFinite else { return norm }
    let factor = maxNorm / norm
    for p in parameters {
        guard let g = p.gradient else { continue }
        try? p.setGradient(g * factor)
    }
    return norm
}
