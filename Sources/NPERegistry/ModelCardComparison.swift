/// Two model cards side by side, field by field: what `npe-registry diff` prints.
///
/// Fields are flattened to dotted paths (`architecture.hiddenFeatures`, `dataset.simulator.version`,
/// `metrics.validationLoss`), and the union of both cards' paths is listed, so a field present on one side only
/// shows as `-` on the other.
public struct ModelCardComparison: Sendable {
    /// One compared field.
    public struct Row: Sendable, Equatable {
        /// The card section: `model`, `architecture`, `parameters`, `data`, `training` or `metrics`.
        public var section: String
        /// The dotted field path.
        public var field: String
        /// The left card's value, or `nil` when it lacks the field.
        public var left: String?
        public var right: String?

        public var differs: Bool { left != right }
    }

    public let rows: [Row]

    /// Compares `left` with `right`.
    public init(_ left: ModelCard, _ right: ModelCard) {
        var rows: [Row] = []
        let leftFields = Self.sections(of: left)
        let rightFields = Self.sections(of: right)
        for (section, leftValues) in leftFields {
            let rightValues = rightFields.first { $0.0 == section }?.1 ?? []
            let leftMap = Dictionary(leftValues, uniquingKeysWith: { first, _ in first })
            let rightMap = Dictionary(rightValues, uniquingKeysWith: { first, _ in first })
            var order = leftValues.map(\.0)
            order += rightValues.map(\.0).filter { leftMap[$0] == nil }
            for field in order {
                rows.append(Row(section: section, field: field, left: leftMap[field], right: rightMap[field]))
            }
        }
        self.rows = rows
    }

    /// Only the rows whose values differ.
    public var differences: [Row] { rows.filter(\.differs) }

    private static func sections(of card: ModelCard) -> [(String, [(String, String)])] {
        let model: [(String, String)] = [
            ("reference", "\(card.name)@\(card.version)"), ("kind", card.kind), ("formatVersion", String(card.formatVersion)),
            ("toolVersion", card.toolVersion), ("createdAt", card.createdAt.formatted(.iso8601)),
            ("weights.sha256", card.weights.sha256), ("weights.byteCount", String(card.weights.byteCount)),
        ]
        var parameters: [(String, String)] = card.parameters.map { ("\($0.name)", "\($0.unit); prior \($0.prior.compactText)") }
        parameters += card.contextInputs.map { ("context.\($0.name)", $0.unit) }
        if let grid = card.inputGrid {
            let range = grid.wavelengths.isEmpty ? "empty" : "\(grid.wavelengths.min()!)...\(grid.wavelengths.max()!) \(grid.unit)"
            parameters.append(("inputGrid", "\(grid.wavelengths.count) bins, \(range)"))
        }
        parameters += card.noiseModel.flattened(prefix: "noiseModel")
        let lineage = card.dataset
        var data: [(String, String)] = [
            ("dataset.path", lineage.path), ("dataset.digest", lineage.digest), ("dataset.rowCount", String(lineage.rowCount)),
            ("simulator.name", lineage.simulator.name), ("simulator.version", lineage.simulator.version),
        ]
        data += lineage.simulator.configuration.keys.sorted().map { ("simulator.configuration.\($0)", lineage.simulator.configuration[$0]!) }
        var training: [(String, String)] = [("seed", String(card.training.seed))]
        training += card.training.configuration.flattened(prefix: "configuration")
        let metrics = card.metrics.keys.sorted().map { ($0, String(card.metrics[$0]!)) }
        return [
            ("model", model), ("architecture", card.architecture.flattened()), ("parameters", parameters),
            ("data", data), ("training", training), ("metrics", metrics),
        ]
    }
}
