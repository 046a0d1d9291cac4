import Foundation
import NPERegistry

extension TrainingRequest {
    /// The lock file that makes one run the owner of ``checkpointDirectory``.
    public var checkpointLockURL: URL { checkpointDirectory.appendingPathComponent(".lock") }

    /// Makes this run the owner of its checkpoint directory (creating it) until the returned lock is released:
    /// two runs with the same `--name` share the default `checkpoints/NAME`, and without an owner one would delete
    /// the other's checkpoint or publish the other's `metrics.jsonl`. Called by the root worker of every training
    /// kind before it writes there.
    ///
    /// - Throws: ``RunLockError/held(path:holder:advice:)`` naming the live run (pid, host, start, command), or
    ///   ``TrainingSetupError/checkpointUnusable(path:reason:)`` when the directory cannot be created.
    public func lockCheckpointDirectory() throws -> RunLock {
        do {
            try FileManager.default.createDirectory(at: checkpointDirectory, withIntermediateDirectories: true)
        } catch {
            throw TrainingSetupError.checkpointUnusable(path: checkpointDirectory.path, reason: "\(error.localizedDescription)")
        }
        let command = (["npe-train"] + CommandLine.arguments.dropFirst()).joined(separator: " ")
        return try RunLock.acquire(
            at: checkpointLockURL.path, purpose: command,
            advice: "another npe-train run owns this checkpoint directory; wait for it to finish (or stop it with Ctrl-C "
                + "and continue it with --resume), or give this run another --checkpoint-dir")
    }
}
