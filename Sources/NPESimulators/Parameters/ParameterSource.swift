import NPESupport

/// Where the parameter rows of a dataset come from: the prior, or (for sequential rounds) a proposal such as a
/// posterior conditioned on one target or the prior truncated to its high-density region.
///
/// A source fills whole rows of the ``prior``'s parameters (θ, context and fixed values, in the prior's file order),
/// so the dataset builder can map them onto simulator inputs by name and store θ and context as it always has,
/// whatever kind of source it was given. The prior stays the description of the columns: their names, roles,
/// units and supports; every row a source draws must lie inside that support.
///
/// Row i must depend only on (`seed`, i): the builder splits rows over threads and ranks, and a resumed build redraws
/// exactly the rows it lacks.
public protocol ParameterSource: Sendable {
    /// The columns: names, roles, units and the support every draw lies in.
    var prior: Prior { get }

    /// What distinguishes this source from the prior in provenance and resume checks (a proposal's description and
    /// digest); empty for the prior itself, which the dataset records as its prior.
    var identity: String { get }

    /// Draws rows `rows`.
    ///
    /// - Parameter values: `rows.count × prior.parameters.count` values, row-major, in the prior's parameter order.
    /// - Throws: when the source cannot produce the rows (for example a truncated prior whose region holds no mass).
    func draw(rows: Range<Int>, seed: UInt64, into values: UnsafeMutableBufferPointer<Double>) throws
}

extension Prior: ParameterSource {
    /// A prior describes its own columns.
    public var prior: Prior { self }

    /// A prior is recorded as the dataset's prior; it needs no other identity.
    public var identity: String { "" }

    /// Row i takes ``uniformCount`` Double uniforms, draws `0, 1, …` of `RandomStream(seed: seed).child(i)`, mapped
    /// through the inverse CDFs (``draw(uniforms:into:)``).
    public func draw(rows: Range<Int>, seed: UInt64, into values: UnsafeMutableBufferPointer<Double>) {
        let width = parameters.count
        precondition(values.count == rows.count * width, "one row of values per drawn row")
        var uniforms = [Double](repeating: 0, count: uniformCount)
        let root = RandomStream(seed: seed)
        for (offset, row) in rows.enumerated() {
            let stream = root.child(UInt64(row))
            for j in uniforms.indices { uniforms[j] = stream.uniformDouble(UInt64(j)) }
            uniforms.withUnsafeBufferPointer { u in
                draw(uniforms: u, into: UnsafeMutableBufferPointer(rebasing: values[offset * width ..< (offset + 1) * width]))
            }
        }
    }
}
