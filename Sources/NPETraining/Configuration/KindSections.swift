import NPEYAML
import Yams

/// The model kinds' sections a ``TrainingConfiguration`` carries, by key: each starts from its type's defaults and
/// is read, validated and encoded with the rest of the configuration.
///
/// Read a section by its type: `configuration.sections[ExoGANConfiguration.self].batchSize`. A type the
/// configuration was not made with reads as its defaults, and writing it adds it.
public struct KindSections: Equatable, Sendable {
    private var storage: [String: any TrainingConfigurationSection] = [:]

    /// Every given type's defaults. Two types with one key keep the first.
    public init(_ types: [any TrainingConfigurationSection.Type] = []) {
        for type in types where storage[type.key] == nil { storage[type.key] = type.init() }
    }

    /// The sections' keys, sorted.
    public var keys: [String] { storage.keys.sorted() }

    public subscript<Section: TrainingConfigurationSection>(_: Section.Type) -> Section {
        get { storage[Section.key] as? Section ?? Section() }
        set { storage[Section.key] = newValue }
    }

    /// Reads the YAML mapping of the section under `key`.
    mutating func read(_ key: String, _ node: Node, at path: String, reader: YAMLNodeReader) throws {
        guard var section = storage[key] else { return }
        try section.read(node, at: path, reader: reader)
        storage[key] = section
    }

    /// Every section's range checks, in key order.
    func validate(_ fail: (String, Any, String) -> TrainingConfigurationError) throws {
        for key in keys { try storage[key]!.validate(fail) }
    }

    /// Encodes every section under its key in `container`.
    func encode<Key: CodingKey>(into container: inout KeyedEncodingContainer<Key>, key makeKey: (String) -> Key) throws {
        for key in keys { try container.encode(storage[key]!, forKey: makeKey(key)) }
    }

    public static func == (lhs: KindSections, rhs: KindSections) -> Bool {
        lhs.keys == rhs.keys && lhs.storage.allSatisfy { key, section in rhs.storage[key].map(section.isEqual) ?? false }
    }
}
