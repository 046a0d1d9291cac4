import NPETensor
import NPESupport

/// The deterministic train/validation split of a dataset's rows.
///
/// Row i is held out for validation when uᵢ < `validationFraction`, where uᵢ is draw i of a Philox stream keyed
/// by `seed`: a pure function of (seed, i). The split therefore needs no stored index list, is identical on every
/// MPI rank and thread, and is reproduced exactly on resume. It is recorded as (seed, fraction) in the model card.
public struct DataSplit: Codable, Sendable, Equatable {
    public var seed: UInt64
    public var validationFraction: Double

    /// The stream id reserved for the split, apart from every other use of the training seed.
    static let streamID: UInt64 = 0x5EED_5B17

    public init(seed: UInt64, validationFraction: Double) {
        self.seed = seed
        self.validationFraction = validationFraction
    }

    /// Whether row `row` belongs to the validation set.
    public func isValidation(row: Int) -> Bool {
        RandomStream(seed: seed, stream: Self.streamID).uniformDouble(UInt64(row)) < validationFraction
    }
}
