/// A model card or weights file that cannot be turned back into a working model, naming the field at fault.
public enum ModelCardError: Error, Equatable, CustomStringConvertible {
    /// The entry is of another kind (e.g. `exogan`) than the loader handles.
    case wrongKind(found: String, expected: String)
    /// A card field is missing or does not decode; `field` is its JSON path.
    case invalidField(field: String, reason: String)
    /// The card and the weights disagree (sizes, names).
    case inconsistent(String)
    /// A training-noise declaration that breaks its invariants.
    case invalidNoise(String)

    public var description: String {
        switch self {
        case let .wrongKind(found, expected): return "model card: kind is '\(found)', expected '\(expected)'"
        case let .invalidField(field, reason): return "model card: field '\(field)': \(reason)"
        case let .inconsistent(why): return "model card and weights disagree: \(why)"
        case let .invalidNoise(why): return "training noise: \(why)"
        }
    }
}
