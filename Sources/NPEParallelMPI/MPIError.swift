/// An MPI call returned an error code.
public struct MPIError: Error, CustomStringConvertible {
    /// The C function that failed, e.g. `MPI_Alltoallv`.
    public var function: String
    /// Its return code (an MPI error class or code).
    public var code: Int32
    /// MPI's own text for `code` (`MPI_Error_string`).
    public var message: String
    public var description: String { "\(function) failed with code \(code): \(message)" }
}
