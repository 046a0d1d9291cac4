import NPEYAML
import Yams

/// A model kind's own section of the training configuration (`exogan:` for the ExoGAN baseline), owned by the
/// kind's module rather than by NPETraining.
///
/// A conformer is a plain value with its defaults in `init()`. It names its top-level ``key``, reads its mapping
/// from YAML through the shared ``YAMLNodeReader`` (unknown keys are errors), and checks its ranges after every
/// load and override. ``TrainingConfiguration`` stores the sections it was made with (``KindSections``),
/// reads and validates them with the rest of the file, and encodes each under its key in the card's training
/// record, as if it were one of its own fields. A kind lists its section types in its `ModelKind` conformance
/// (`configurationSections`), so `npe-train` accepts every registered kind's section in any configuration file.
public protocol TrainingConfigurationSection: Encodable, Equatable, Sendable {
    /// The section's top-level key in the YAML file and in the encoded configuration (e.g. `exogan`).
    static var key: String { get }
    /// The defaults.
    init()
    /// Reads the section's mapping at `path` (its ``key``) into `self`; keys left out keep their values.
    ///
    /// - Throws: the reader's located error (a ``TrainingConfigurationError``) for an unknown key or a bad value.
    mutating func read(_ node: Node, at path: String, reader: YAMLNodeReader) throws
    /// Range checks; `fail(dotted key, value, expected)` builds the located error to throw.
    func validate(_ fail: (String, Any, String) -> TrainingConfigurationError) throws
}

extension TrainingConfigurationSection {
    /// Equality with a section of any type (false for another type), for ``KindSections``' `==`.
    func isEqual(to other: any TrainingConfigurationSection) -> Bool {
        (other as? Self) == self
    }
}
