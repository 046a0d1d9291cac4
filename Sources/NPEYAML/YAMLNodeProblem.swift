/// What is wrong with one YAML node, before the module reading it names the problem in its own error type.
///
/// ``YAMLNodeReader`` reports these through the caller's error factory, so a prior still throws a `PriorError`, a
/// training configuration a `TrainingConfigurationError` and a simulator configuration a
/// `SimulatorConfigurationError`, each with its own wording, while the walking and parsing of nodes is written once.
public enum YAMLNodeProblem: Equatable, Sendable {
    /// The file could not be read (the reason from Foundation).
    case unreadableFile(String)
    /// The text is not YAML (the parser's message).
    case invalidYAML(String)
    case notAMapping
    case notAList
    case notAScalar
    /// A key outside the mapping's known keys.
    case unknownKey(String, known: [String])
    /// A key that appears twice in one mapping; `firstLine` is where it first appeared.
    case duplicateKey(firstLine: Int?)
    /// A scalar that is not an integer.
    case notAnInteger(String)
    /// A scalar that is not a number, or (when finiteness was asked for) not a finite one.
    case notANumber(String)
    /// A scalar that is not one of YAML's boolean spellings.
    case notABoolean(String)
    /// A scalar that is not one of the allowed choices.
    case notOneOf(String, allowed: [String])
}
