import NPEChecksum
import NPESimulators
import Foundation
import NPESupport

/// One round's proposal as a ``ParameterSource``: a table of N rows of the K inferred parameters, drawn from the
/// round's proposal (the prior, a truncated prior or a posterior) before simulation, and completed into full
/// prior rows for the dataset row generator.
///
/// Row i takes the prior's own draw for (seed, i) (latent θ columns and fixed values), then the table's K values
/// in the first K θ columns and the target's values in the context columns. So row i depends on (seed, i) only,
/// as the builder requires, and the round's simulations are the same at any thread count.
public struct ProposalTable: ParameterSource {
    public let prior: Prior
    /// `[N, K]`, row-major.
    public let theta: [Double]
    /// log of the proposal density at each row (what the importance weights divide by); up to a constant for a
    /// truncated prior.
    public let logProposal: [Double]
    public let thetaCount: Int
    public let context: [Double]
    /// "kind:sha256 of the table", so a resumed build cannot mix proposals.
    public let identity: String

    public init(prior: Prior, theta: [Double], logProposal: [Double], thetaCount: Int, context: [Double], kind: String) {
        precondition(theta.count == logProposal.count * thetaCount, "K values per row")
        self.prior = prior
        self.theta = theta
        self.logProposal = logProposal
        self.thetaCount = thetaCount
        self.context = context
        var hasher = SHA256()
        for value in theta + context { withUnsafeBytes(of: value.bitPattern.littleEndian) { hasher.update($0) } }
        identity = "\(kind):\(hasher.hexFinalize())"
    }

    /// N.
    public var count: Int { logProposal.count }

    public func draw(rows: Range<Int>, seed: UInt64, into values: UnsafeMutableBufferPointer<Double>) throws {
        guard rows.upperBound <= count else {
            throw SequentialError.invalidSetting("the proposal table holds \(count) rows; rows \(rows) were asked for")
        }
        prior.draw(rows: rows, seed: seed, into: values)
        let width = prior.parameters.count
        for (offset, row) in rows.enumerated() {
            for j in 0..<thetaCount { values[offset * width + prior.thetaIndices[j]] = theta[row * thetaCount + j] }
            for (j, position) in prior.contextIndices.enumerated() { values[offset * width + position] = context[j] }
        }
    }
}
