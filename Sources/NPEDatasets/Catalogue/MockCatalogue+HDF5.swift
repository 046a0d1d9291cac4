import Foundation
import NPEData
import NPESimulators

extension MockCatalogue {
    /// What made a catalogue, stored in its attributes so it can be reproduced and audited.
    public struct Provenance: Sendable, Codable, Equatable {
        /// One input file: its role (`targets`, `prior`, `noise`), path or `<builtin:…>` label, and SHA-256 of its
        /// bytes (for a built-in noise model without a file: of its JSON, `digestOf` says which).
        public struct Source: Sendable, Codable, Equatable {
            public var role: String
            public var path: String
            public var sha256: String
            public var digestOf: String
            public init(role: String, path: String, sha256: String, digestOf: String = "file") {
                self.role = role
                self.path = path
                self.sha256 = sha256
                self.digestOf = digestOf
            }
        }

        public var sources: [Source]
        public var seed: UInt64
        public var transits: String
        public var prior: Prior
        public var simulatorName: String
        public var simulatorVersion: String
        public var simulatorConfiguration: [String: String]
        public var noiseModelKind: String
        public var noiseModelSource: String
        public var createdAt: Date

        public init(sources: [Source], seed: UInt64, transits: String, prior: Prior, simulator: any Simulator,
                    noiseModel: NoiseModel, createdAt: Date = Date()) {
            self.sources = sources
            self.seed = seed
            self.transits = transits
            self.prior = prior
            simulatorName = simulator.name
            simulatorVersion = simulator.version
            simulatorConfiguration = simulator.configuration
            noiseModelKind = noiseModel.kind
            if case let .perTargetTable(table) = noiseModel { noiseModelSource = table.source } else { noiseModelSource = noiseModel.kind }
            self.createdAt = Date(timeIntervalSince1970: createdAt.timeIntervalSince1970.rounded(.down))
        }
    }

    /// The `format` attribute of a mock catalogue file.
    public static let formatName = "exonpe-mock-catalogue"
    public static let formatVersion: Int64 = 1

    /// Writes the catalogue as HDF5 that ``NPEInference/Catalogue`` reads, atomically (temporary name, fsync, rename).
    ///
    /// Datasets (float64 unless said): `x` [T, M]; `sigma` [T, M] (absent for noise-free catalogues); `context`
    /// [T, A] with attribute `context_names`; `id` [T] (strings); `theta_true` [T, D] with attribute
    /// `parameter_names`; `x_noise_free` [T, M]; `source_row` [T] and `transits` [T] (int64); `wavelength` and
    /// `bin_width` [M] (µm). Root attributes: see `docs/validation.md`.
    ///
    /// - Throws: ``DatasetBuildError/invalidArgument(field:reason:)`` when no target was written; HDF5 errors.
    public func write(to url: URL, provenance: Provenance, replacingExisting: Bool = false) throws {
        guard targetCount > 0 else {
            throw DatasetBuildError.invalidArgument(
                field: "targets", reason: "no target could be written (\(skipped.count) skipped; first: \(skipped.first?.reason ?? "none"))")
        }
        let t = targetCount, m = wavelengths.count
        let file = try HDF5File.create(at: url, replacingExisting: replacingExisting)
        defer { try? file.close() }
        let root = try file.root()
        func json<T: Encodable>(_ value: T) throws -> HDF5AttributeValue {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            encoder.dateEncodingStrategy = .iso8601
            return .string(String(decoding: try encoder.encode(value), as: UTF8.self))
        }
        let compressed = HDF5Compression.shuffleLZ4
        try root.createDataset("x", values: x, shape: [t, m], compression: compressed)
        if let sigma { try root.createDataset("sigma", values: sigma, shape: [t, m], compression: compressed) }
        try root.createDataset("x_noise_free", values: xNoiseFree, shape: [t, m], compression: compressed)
        let truths = try root.createDataset("theta_true", values: thetaTrue, shape: [t, parameterNames.count])
        try truths.attributes.set("parameter_names", to: json(parameterNames))
        if !contextNames.isEmpty {
            let contextSet = try root.createDataset("context", values: context, shape: [t, contextNames.count])
            try contextSet.attributes.set("context_names", to: json(contextNames))
        }
        try root.createDataset("id", strings: ids)
        try root.createDataset("source_row", values: sourceRows.map(Int64.init), shape: [t])
        try root.createDataset("transits", values: transits.map(Int64.init), shape: [t])
        for (name, values) in [("wavelength", wavelengths), ("bin_width", binWidths)] {
            try root.createDataset(name, values: values, shape: [m]).attributes.set("unit", to: .string("um"))
        }
        let attributes = root.attributes
        try attributes.set("format", to: .string(Self.formatName))
        try attributes.set("format_version", to: .int64(Self.formatVersion))
        try attributes.set("parameter_names", to: json(parameterNames))
        try attributes.set("parameter_units", to: json(parameterUnits))
        try attributes.set("context_names", to: json(contextNames))
        try attributes.set("catalogue_parameters", to: json(catalogueParameters))
        try attributes.set("prior", to: .string(try provenance.prior.jsonString()))
        try attributes.set("simulator_name", to: .string(provenance.simulatorName))
        try attributes.set("simulator_version", to: .string(provenance.simulatorVersion))
        try attributes.set("simulator_config", to: json(provenance.simulatorConfiguration))
        try attributes.set("noise_model", to: .string(provenance.noiseModelKind))
        try attributes.set("noise_source", to: .string(provenance.noiseModelSource))
        try attributes.set("transits", to: .string(provenance.transits))
        try attributes.set("seed", to: .uint64(provenance.seed))
        try attributes.set("sources", to: json(provenance.sources))
        try attributes.set("target_count", to: .int64(Int64(t)))
        try attributes.set("skipped_count", to: .int64(Int64(skipped.count)))
        try attributes.set("skipped", to: json(skipped))
        try attributes.set("created", to: .string(ISO8601DateFormatter().string(from: provenance.createdAt)))
        try file.commit()
    }
}
