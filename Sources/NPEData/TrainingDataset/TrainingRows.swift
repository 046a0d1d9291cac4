/// A block of consecutive training rows, row-major: `theta` is `[count, D]`, `x` `[count, M]`,
/// `context` `[count, A]` (nil when the dataset has no context), `flags` `[count]` (nil when the
/// dataset has no flags).
public struct TrainingRows: Equatable, Sendable {
    /// Which rows of the dataset these are.
    public var rows: Range<Int>
    /// `[count, D]` parameters.
    public var theta: [Float]
    /// `[count, M]` noise-free spectra.
    public var x: [Float]
    /// `[count, A]` context inputs, or nil.
    public var context: [Float]?
    /// `[count]` row flags (see ``TrainingDatasetFormat/RowFlags``), or nil.
    public var flags: [UInt8]?

    /// Memberwise.
    public init(rows: Range<Int>, theta: [Float], x: [Float], context: [Float]?, flags: [UInt8]?) {
        self.rows = rows
        self.theta = theta
        self.x = x
        self.context = context
        self.flags = flags
    }

    /// Number of rows.
    public var count: Int { rows.count }
}
