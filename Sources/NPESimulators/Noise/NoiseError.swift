/// Why a noise model could not be built or evaluated. Each case names the file, row and column where it applies.
public enum NoiseError: Error, Equatable, CustomStringConvertible, Sendable {
    /// The file could not be read.
    case unreadableFile(file: String, reason: String)
    /// A field is not a finite number (or, for a sigma, not ≥ 0).
    case invalidValue(file: String, line: Int, column: String, text: String)
    /// A key (e.g. a planet name) appears twice.
    case duplicateKey(file: String, line: Int, key: String, firstLine: Int)
    /// The table does not have the expected number of sigma columns or rows.
    case wrongShape(file: String, reason: String)
    /// A per-target model was asked for a target it does not list.
    case unknownTarget(String)
    /// The noise model needs a target property the caller did not give (e.g. `starTemperature`).
    case missingTargetProperty(String)
    /// A target property is outside what the model can take.
    case invalidTargetProperty(name: String, value: Double, reason: String)
    /// A model parameter is outside its domain (e.g. a negative floor).
    case invalidParameter(name: String, value: Double, reason: String)

    public var description: String {
        switch self {
        case let .unreadableFile(file, reason): return "\(file): cannot read (\(reason))"
        case let .invalidValue(file, line, column, text):
            return "\(file):\(line): column '\(column)': '\(text)' is not a valid value"
        case let .duplicateKey(file, line, key, firstLine):
            return "\(file):\(line): '\(key)' already appears on line \(firstLine)"
        case let .wrongShape(file, reason): return "\(file): \(reason)"
        case let .unknownTarget(name): return "no noise entry for target '\(name)'"
        case let .missingTargetProperty(name): return "the noise model needs the target's \(name)"
        case let .invalidTargetProperty(name, value, reason): return "target \(name) = \(value): \(reason)"
        case let .invalidParameter(name, value, reason): return "noise parameter \(name) = \(value): \(reason)"
        }
    }
}
