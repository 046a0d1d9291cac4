import Foundation

extension ModelCard {
    /// Schema rules beyond what decoding checks: what a well-formed card must satisfy.
    ///
    /// - Returns: one sentence per broken rule, empty when the card is valid.
    public func schemaProblems() -> [String] {
        var problems: [String] = []
        if formatVersion != Self.currentFormatVersion { problems.append("formatVersion is \(formatVersion), expected \(Self.currentFormatVersion)") }
        do { try RegistryName.validateModelName(name) } catch { problems.append("name: \(error)") }
        if version < 1 { problems.append("version is \(version), versions start at 1") }
        if kind.isEmpty { problems.append("kind is empty") }
        var seen = Set<String>()
        for (index, parameter) in parameters.enumerated() {
            if parameter.name.isEmpty { problems.append("parameters[\(index)].name is empty") }
            if !seen.insert(parameter.name).inserted { problems.append("parameters[\(index)].name \"\(parameter.name)\" is repeated") }
        }
        if let grid = inputGrid {
            // A non-spectral input (an analytic test problem) is described by its feature indices, unit `index`.
            if grid.unit == InputGrid.indexUnit {
                if grid.wavelengths != grid.wavelengths.indices.map(Double.init) { problems.append("inputGrid of unit 'index' must be 0, 1, …, M−1") }
            } else if !grid.wavelengths.allSatisfy({ $0.isFinite && $0 > 0 }) {
                problems.append("inputGrid.wavelengths must be positive and finite")
            }
            if let widths = grid.binWidths, widths.count != grid.wavelengths.count {
                problems.append("inputGrid.binWidths has \(widths.count) entries for \(grid.wavelengths.count) wavelengths")
            }
        }
        for key in standardisation.keys.sorted() {
            let statistics = standardisation[key]!
            if statistics.mean.count != statistics.standardDeviation.count {
                problems.append("standardisation.\(key): \(statistics.mean.count) means but \(statistics.standardDeviation.count) standard deviations")
            }
            if !statistics.standardDeviation.allSatisfy({ $0.isFinite && $0 > 0 }) {
                problems.append("standardisation.\(key).standardDeviation must be positive and finite")
            }
            if !statistics.mean.allSatisfy(\.isFinite) { problems.append("standardisation.\(key).mean must be finite") }
        }
        if dataset.rowCount < 0 { problems.append("dataset.rowCount is negative") }
        for (key, value) in metrics where !value.isFinite { problems.append("metrics.\(key) is \(value); JSON cannot store it") }
        for (field, value) in [("architecture", architecture), ("noiseModel", noiseModel), ("training.configuration", training.configuration)]
        where !value.isFinite {
            problems.append("\(field) contains a non-finite number")
        }
        if weights.file != ModelRegistry.weightsFileName { problems.append("weights.file is \"\(weights.file)\", expected \"\(ModelRegistry.weightsFileName)\"") }
        if weights.format != "safetensors" { problems.append("weights.format is \"\(weights.format)\", expected \"safetensors\"") }
        if !Manifest.isDigest(weights.sha256) { problems.append("weights.sha256 is not 64 lowercase hexadecimal digits") }
        if weights.byteCount < 0 { problems.append("weights.byteCount is negative") }
        return problems
    }

    /// Decodes and checks a card file's bytes: format version first (so a newer card is refused by its version,
    /// not by some field it happens to add), then the schema, then ``schemaProblems()``.
    static func decode(_ data: Data, path: String) throws -> ModelCard {
        let card = try RegistryJSON.decodeVersioned(
            ModelCard.self, from: data, path: path, supported: currentFormatVersion,
            malformed: { RegistryError.malformedCard(path: path, reason: $0) })
        let problems = card.schemaProblems()
        guard problems.isEmpty else { throw RegistryError.malformedCard(path: path, reason: problems.joined(separator: "; ")) }
        return card
    }
}
