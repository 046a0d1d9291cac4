import Foundation
import NPERegistry

/// This run's ownership of its checkpoint directory: the lock, and the directories that taking it created, so a
/// run that fails its checks can leave the disk as it found it.
public struct CheckpointOwnership: Sendable {
    public let lock: RunLock
    /// Directories created for the lock, deepest first.
    let createdDirectories: [URL]

    /// Gives the directory back after a failed start: releases the lock, deletes its file and the directories that
    /// were created for it (only while they are empty).
    public func abandon() {
        lock.release(removingFile: true)
        for directory in createdDirectories { rmdir(directory.path) }
    }
}

extension TrainingRequest {
    /// The lock file that makes one run the owner of ``checkpointDirectory``.
    public var checkpointLockURL: URL { checkpointDirectory.appendingPathComponent(".lock") }

    /// Makes this run the owner of its checkpoint directory (creating it) until the lock is released: two runs
    /// with the same `--name` share the default `checkpoints/NAME`, and without an owner one would delete the other's
    /// checkpoint or publish the other's `metrics.jsonl`. Taken by the root worker of every training kind before it
    /// looks at the checkpoint state, so a second run is told about the live one rather than advised to delete its
    /// checkpoint.
    ///
    /// - Throws: ``RunLockError/held(path:holder:advice:)`` naming the live run (pid, host, start, command), or
    ///   ``TrainingSetupError/checkpointUnusable(path:reason:)`` when the directory cannot be created.
    public func lockCheckpointDirectory() throws -> CheckpointOwnership {
        var missing: [URL] = []
        var ancestor = checkpointDirectory.standardizedFileURL
        while !FileManager.default.fileExists(atPath: ancestor.path), ancestor.path != "/" {
            missing.append(ancestor)
            ancestor = ancestor.deletingLastPathComponent()
        }
        do {
            try FileManager.default.createDirectory(at: checkpointDirectory, withIntermediateDirectories: true)
        } catch {
            throw TrainingSetupError.checkpointUnusable(path: checkpointDirectory.path, reason: "\(error.localizedDescription)")
        }
        let command = (["npe-train"] + CommandLine.arguments.dropFirst()).joined(separator: " ")
        do {
            let lock = try RunLock.acquire(
                at: checkpointLockURL.path, purpose: command,
                advice: "another npe-train run owns this checkpoint directory; wait for it to finish (or stop it with "
                    + "Ctrl-C and continue it with --resume), or give this run another --checkpoint-dir")
            return CheckpointOwnership(lock: lock, createdDirectories: missing)
        } catch {
            for directory in missing { rmdir(directory.path) }
            throw error
        }
    }
}
