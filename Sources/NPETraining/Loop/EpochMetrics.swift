import Foundation

/// One epoch's figures: what the progress line shows and the JSON-lines metrics log stores.
public struct EpochMetrics: Codable, Equatable, Sendable {
    public var epoch: Int
    public var trainingLoss: Float
    public var validationLoss: Float
    public var learningRate: Float
    public var samplesPerSecond: Double
    public var seconds: Double
    public var gradientNorm: Float
}

/// Appends one JSON object per line, flushed and fsynced per record, so the log survives a crash with every
/// completed epoch in it.
public final class MetricsLog {
    public let url: URL
    private let handle: FileHandle

    public init(url: URL, truncating: Bool) throws {
        self.url = url
        if truncating || !FileManager.default.fileExists(atPath: url.path) {
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            _ = FileManager.default.createFile(atPath: url.path, contents: nil)
        }
        handle = try FileHandle(forWritingTo: url)
        try handle.seekToEnd()
    }

    public func append(_ metrics: EpochMetrics) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        try handle.write(contentsOf: try encoder.encode(metrics) + Data("\n".utf8))
        try handle.synchronize()
    }

    deinit { try? handle.close() }
}
