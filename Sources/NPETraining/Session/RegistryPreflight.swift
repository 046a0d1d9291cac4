import Foundation

/// Checks that a registry root can take a new version before hours of training are spent: creates it when
/// missing, then creates and removes a probe file in it.
public enum RegistryPreflight {
    /// - Throws: ``TrainingSetupError/registryNotWritable(path:reason:)``.
    public static func checkWritable(_ root: URL) throws {
        let manager = FileManager.default
        var isDirectory: ObjCBool = false
        if manager.fileExists(atPath: root.path, isDirectory: &isDirectory) {
            guard isDirectory.boolValue else {
                throw TrainingSetupError.registryNotWritable(path: root.path, reason: "it is a file, not a directory")
            }
        } else {
            do {
                try manager.createDirectory(at: root, withIntermediateDirectories: true)
            } catch {
                throw TrainingSetupError.registryNotWritable(path: root.path, reason: "cannot create it: \(error.localizedDescription)")
            }
        }
        let probe = root.appendingPathComponent(".npe-train-probe-\(getpid())")
        guard manager.createFile(atPath: probe.path, contents: Data()) else {
            throw TrainingSetupError.registryNotWritable(path: root.path, reason: "cannot create files in it")
        }
        try? manager.removeItem(at: probe)
    }
}
