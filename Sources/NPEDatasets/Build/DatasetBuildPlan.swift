import Foundation
import NPEChecksum
import NPEData
import NPESimulators

/// What a build will produce, saved as `shards/manifest.json` before the first shard is written.
///
/// A resumed build must present the same plan (row count, seed, shard size, prior, simulator identity and noise
/// model); ``requireSameRequest(as:file:)`` names the first field that differs. The creation time is part of the
/// plan, so a resumed dataset records the time the build was first planned, like an uninterrupted one.
///
/// Rows `[k·shardRows, min((k+1)·shardRows, rows))` form shard k.
public struct DatasetBuildPlan: Codable, Equatable, Sendable {
    /// `"exonpe-dataset-build-plan"`.
    public var format: String
    /// The manifest format version (1).
    public var formatVersion: Int
    /// N, the rows the dataset will hold.
    public var rows: Int
    /// The seed of the counter-based generator; row i draws from stream `child(i)`.
    public var seed: UInt64
    /// Rows per shard.
    public var shardRows: Int
    /// Rows per HDF5 chunk of the merged dataset (about 1 MiB of `x`); shards use `min(chunkRows, shardRows)`.
    public var chunkRows: Int
    /// The prior as JSON (``Prior/jsonString()``) and its SHA-256 (lowercase hex).
    public var priorJSON: String
    public var priorSHA256: String
    /// The parameter source when it is not the prior itself (``ParameterSource/identity``), nil for a prior: a
    /// resumed build must draw from the same proposal.
    public var parameterSource: String?
    /// The simulator's identity: name, version and configuration (JSON object with sorted keys).
    public var simulatorName: String
    public var simulatorVersion: String
    public var simulatorConfigurationJSON: String
    /// The declared noise model as JSON.
    public var noiseModelJSON: String
    /// When the build was first planned (ISO 8601 UTC, whole seconds).
    public var createdAt: String

    /// The manifest's `format` value.
    public static let formatName = "exonpe-dataset-build-plan"

    /// Plans `rows` rows of `simulator` over the parameters of `source` (a prior, or a proposal).
    ///
    /// - Parameters:
    ///   - shardRows: rows per shard; nil uses one HDF5 chunk (about 1 MiB of `x`), so a resumed build loses at most
    ///     one shard per thread of work.
    /// - Throws: ``DatasetBuildError/invalidArgument(field:reason:)`` for non-positive sizes.
    public init(
        source: any ParameterSource, simulator: any Simulator, noiseModel: NoiseModel, rows: Int, seed: UInt64,
        shardRows: Int? = nil, createdAt: Date = Date()
    ) throws {
        let prior = source.prior
        guard rows > 0 else {
            throw DatasetBuildError.invalidArgument(field: "rows", reason: "\(rows) is not positive")
        }
        let chunk = max(1, HDF5DatasetOptions.targetChunkByteCount / (4 * max(simulator.outputCount, 1)))
        let perShard = shardRows ?? chunk
        guard perShard > 0 else {
            throw DatasetBuildError.invalidArgument(field: "shard rows", reason: "\(perShard) is not positive")
        }
        format = Self.formatName
        formatVersion = 1
        self.rows = rows
        self.seed = seed
        self.shardRows = perShard
        chunkRows = chunk
        priorJSON = try prior.jsonString()
        priorSHA256 = SHA256.hexDigest(of: Data(priorJSON.utf8))
        parameterSource = source.identity.isEmpty ? nil : source.identity
        simulatorName = simulator.name
        simulatorVersion = simulator.version
        simulatorConfigurationJSON = Self.sortedJSON(simulator.configuration)
        noiseModelJSON = try noiseModel.jsonString()
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        self.createdAt = formatter.string(from: createdAt)
    }

    /// The number of shards, ⌈rows / shardRows⌉.
    public var shardCount: Int { (rows + shardRows - 1) / shardRows }

    /// The rows of shard `index`.
    public func rowRange(ofShard index: Int) -> Range<Int> {
        index * shardRows..<min((index + 1) * shardRows, rows)
    }

    /// The creation time as a date.
    public var creationDate: Date {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.date(from: createdAt) ?? Date(timeIntervalSince1970: 0)
    }

    /// Throws ``DatasetBuildError/planMismatch(file:field:saved:requested:)`` naming the first field where `self`
    /// (the saved plan) differs from `request`. The creation time is not compared.
    public func requireSameRequest(as request: DatasetBuildPlan, file: String) throws {
        let fields: [(String, String, String)] = [
            ("format_version", String(formatVersion), String(request.formatVersion)),
            ("rows", String(rows), String(request.rows)),
            ("seed", String(seed), String(request.seed)),
            ("shard_rows", String(shardRows), String(request.shardRows)),
            ("chunk_rows", String(chunkRows), String(request.chunkRows)),
            ("prior_sha256", priorSHA256, request.priorSHA256),
            ("parameter_source", parameterSource ?? "prior", request.parameterSource ?? "prior"),
            ("simulator_name", simulatorName, request.simulatorName),
            ("simulator_version", simulatorVersion, request.simulatorVersion),
            ("simulator_config", simulatorConfigurationJSON, request.simulatorConfigurationJSON),
            ("noise_model", noiseModelJSON, request.noiseModelJSON),
        ]
        for (field, saved, requested) in fields where saved != requested {
            throw DatasetBuildError.planMismatch(file: file, field: field, saved: saved, requested: requested)
        }
    }

    // MARK: - Manifest file

    enum CodingKeys: String, CodingKey {
        case format
        case formatVersion = "format_version"
        case rows, seed
        case shardRows = "shard_rows"
        case chunkRows = "chunk_rows"
        case priorJSON = "prior"
        case priorSHA256 = "prior_sha256"
        case parameterSource = "parameter_source"
        case simulatorName = "simulator_name"
        case simulatorVersion = "simulator_version"
        case simulatorConfigurationJSON = "simulator_config"
        case noiseModelJSON = "noise_model"
        case createdAt = "created"
    }

    /// Reads and checks a manifest.
    public init(contentsOf url: URL) throws {
        let data: Data
        do { data = try Data(contentsOf: url) } catch {
            throw DatasetBuildError.invalidPlan(file: url.path, reason: error.localizedDescription)
        }
        do { self = try JSONDecoder().decode(Self.self, from: data) } catch {
            throw DatasetBuildError.invalidPlan(file: url.path, reason: "\(error)")
        }
        guard format == Self.formatName else {
            throw DatasetBuildError.invalidPlan(file: url.path, reason: "field 'format' is '\(format)'")
        }
        guard formatVersion == 1 else {
            throw DatasetBuildError.invalidPlan(
                file: url.path, reason: "field 'format_version' \(formatVersion) unknown")
        }
        guard rows > 0, shardRows > 0, chunkRows > 0 else {
            throw DatasetBuildError.invalidPlan(
                file: url.path, reason: "fields 'rows', 'shard_rows', 'chunk_rows' must be positive")
        }
    }

    /// Writes the manifest atomically (pretty, sorted keys, so people can read it).
    public func write(to url: URL) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted]
        try AtomicFileWriting.write(try encoder.encode(self), to: url)
    }

    static func sortedJSON(_ dictionary: [String: String]) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return String(decoding: (try? encoder.encode(dictionary)) ?? Data("{}".utf8), as: UTF8.self)
    }
}
