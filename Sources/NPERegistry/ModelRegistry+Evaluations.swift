import Foundation

extension ModelRegistry {
    /// Appends an evaluation record to a published version as `evaluations/<yyyyMMddTHHmmssZ>-<kind>.json`.
    ///
    /// This is the one write a published version accepts, and it adds a file without touching the card or the
    /// weights. The record is written to a temporary name, fsynced, then hard-linked to its final name; `link`
    /// never replaces, so two records of the same kind in the same second get `-2`, `-3`, ... suffixes instead of
    /// overwriting each other.
    ///
    /// - Returns: the record's file.
    @discardableResult
    public func appendEvaluation(_ record: EvaluationRecord, to id: ModelVersionID) throws -> URL {
        try RegistryName.validateModelName(record.kind)
        guard record.results.isFinite else { throw RegistryError.invalidContent(reason: "evaluation results contain a non-finite number") }
        let directory = versionPath(id) + "/" + Self.evaluationsDirectoryName
        try requireDirectory(versionPath(id), orElse: .versionNotFound(name: id.name, version: id.version, path: versionPath(id)))
        try requireDirectory(directory, orElse: .missingFile(path: directory))
        let data = try RegistryJSON.encode(record)
        // Under the model lock, so that garbage collection (which takes it too) never deletes a live temporary file.
        return try withModelLock(id.name) {
            let temporary = directory + "/" + Self.temporaryPrefix + UUID().uuidString
            try FileSystem.writeNewFile(temporary, contents: data, mode: 0o444)
            defer { try? FileSystem.removeFile(temporary) }
            let stem = Self.timestamp(record.createdAt) + "-" + record.kind
            var attempt = 1
            while true {
                let path = directory + "/" + stem + (attempt == 1 ? "" : "-\(attempt)") + ".json"
                if try FileSystem.linkIfAbsent(temporary, to: path) {
                    try FileSystem.synchronizeDirectory(directory)
                    return URL(fileURLWithPath: path)
                }
                attempt += 1
            }
        }
    }

    /// The evaluation records of a version, oldest first; records of one kind within one second in the order written.
    public func evaluations(of id: ModelVersionID) throws -> [EvaluationRecord] {
        let directory = versionPath(id) + "/" + Self.evaluationsDirectoryName
        try requireDirectory(directory, orElse: .missingFile(path: directory))
        // Names start with a fixed-width timestamp; within one second a later duplicate has a longer name
        // (`-2`, ..., `-10`), so (timestamp, length, name) is the order of writing.
        let names = try FileSystem.entries(of: directory).filter { !$0.hasPrefix(".") && $0.hasSuffix(".json") }
        return try names.sorted { ($0.prefix(16), $0.count, $0) < ($1.prefix(16), $1.count, $1) }.map { entry in
            let path = directory + "/" + entry
            do {
                let data = try FileSystem.readFile(path)
                return try RegistryJSON.decodeVersioned(
                    EvaluationRecord.self, from: data, path: path, supported: EvaluationRecord.currentFormatVersion,
                    malformed: { RegistryError.malformedFile(path: path, reason: $0) })
            } catch let error as RegistryError {
                throw error
            } catch {
                throw RegistryError.malformedFile(path: path, reason: RegistryJSON.describe(error))
            }
        }
    }

    /// `yyyyMMddTHHmmssZ` in UTC: sortable, and free of characters that are awkward in file names.
    static func timestamp(_ date: Date) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let parts = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
        func two(_ value: Int?) -> String { String(format: "%02d", value ?? 0) }
        return String(format: "%04d", parts.year ?? 0) + two(parts.month) + two(parts.day) + "T"
            + two(parts.hour) + two(parts.minute) + two(parts.second) + "Z"
    }
}
