/// A block of consecutive training rows, row-major: `theta` is `[count, D]`, `x` `[count, M]`,
/// `context` `[count, A]` (nil when the dataset has no context), `flags` `[count]` (nil when the
/// dataset has no flags).
public struct TrainingRows: Equatable, Sendable {
    /// Which rows of the dataset these are.
    public var rows: Range<Int>
    public var theta: [Float]
    public var x: [Float]
    public var context: [Float]?
    public var flags: [UInt8]?

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
