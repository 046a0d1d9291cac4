import Foundation
import NPERegistry

/// Where a run stands, for a progress display.
public struct InferenceProgress: Sendable {
    public var completedTargets: Int
    public var totalTargets: Int
    /// Targets found finished in shards of an interrupted run.
    public var resumedTargets: Int
    public var flaggedTargets: Int
    public var elapsedSeconds: Double
    /// Targets per second in this process (resumed ones not counted).
    public var targetsPerSecond: Double {
        elapsedSeconds > 0 ? Double(completedTargets - resumedTargets) / elapsedSeconds : 0
    }
    public var estimatedSecondsLeft: Double? {
        targetsPerSecond > 0 ? Double(totalTargets - completedTargets) / targetsPerSecond : nil
    }
}

/// What a finished run did.
public struct InferenceRunSummary: Sendable {
    public var output: URL
    public var summaryCSV: URL
    public var targetCount: Int
    public var resumedTargets: Int
    /// Targets with any flag, and the count of each flag by name.
    public var flaggedTargets: Int
    public var flagCounts: [String: Int]
    /// Mean ESS and efficiency over the targets that were weighed; nil without importance sampling.
    public var meanEffectiveSampleSize: Double?
    public var meanEfficiency: Double?
    public var seconds: Double
    /// Wall seconds of sampling and of importance weighting summed over the targets run in this process.
    public var samplingSeconds: Double
    public var importanceSeconds: Double
    /// Targets run in this process (not resumed, not skipped as invalid).
    public var sampledTargets: Int
    /// Wall seconds of the posterior predictive check, summed like the others.
    public var predictiveSeconds: Double = 0
    /// With the predictive check: its threshold and the T p-values (NaN for a skipped target).
    public var misfitThreshold: Double?
    public var predictivePValues: [Double]?
    /// Importance-sampling cost: milliseconds per target (S simulations and the weights).
    public var importanceMillisecondsPerTarget: Double? {
        sampledTargets > 0 && importanceSeconds > 0 ? 1000 * importanceSeconds / Double(sampledTargets) : nil
    }
}

/// Runs a job to a posterior file: batches of targets become shards under `OUT.parts/` as they finish, then the
/// final file and the summary CSV are assembled and published atomically, and the shards removed.
///
/// With `resume`, finished shards of the same run (same ``PosteriorRunIdentity``) are kept and only the missing
/// targets run; because target t's samples depend only on (seed, t) and its own inputs, the output is identical to
/// an uninterrupted run.
///
/// `shouldStop` is polled after each batch (e.g. a SIGINT flag): when it says yes, the run throws
/// ``InferenceError/stopped(directory:completedTargets:totalTargets:)`` with every finished batch on disk.
public enum InferenceRun {
    public static func run(_ job: InferenceJob, output: URL, resume: Bool,
                           progress: ((InferenceProgress) -> Void)? = nil,
                           shouldStop: () -> Bool = { false }) throws -> InferenceRunSummary {
        let start = DispatchTime.now().uptimeNanoseconds
        func elapsed() -> Double { Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9 }
        let output = output.standardizedFileURL
        // One run per output: a second run on the same --out is refused while the first is alive (it would
        // otherwise mix or delete the first run's shards), with a message naming the live run.
        let lock = try lockOutput(output)
        defer { lock.release(removingFile: true) }
        let identity = PosteriorRunIdentity(job: job)
        let store = PosteriorShardStore(output: output, identity: identity)
        let total = job.catalogue.targetCount
        if FileManager.default.fileExists(atPath: output.path) {
            // A finished run, or one killed between publishing the file and removing its shards.
            guard resume else { throw InferenceError.output(path: output.path, reason: "exists (pass --resume to finish or check a run, or choose another name)") }
            let existing = try PosteriorFile.read(from: output, includingSamples: false)
            guard existing.runDigest == store.digest else {
                throw InferenceError.resumeMismatch(directory: output.path, expected: store.digest, found: existing.runDigest)
            }
            return try finish(job: job, output: output, store: store, resumed: total, sampled: [], seconds: elapsed())
        }
        let done = try store.prepare(resume: resume)
        let resumed = done.reduce(0) { $0 + $1.count }
        var completed = resumed, flagged = 0
        var sampled: [TargetPosterior] = []
        progress?(InferenceProgress(completedTargets: completed, totalTargets: total, resumedTargets: resumed,
                                    flaggedTargets: flagged, elapsedSeconds: elapsed()))
        let s = job.settings.samplesPerTarget, d = job.parameterCount
        for batch in PosteriorShardStore.pendingBatches(total: total, done: done, size: job.settings.batchTargets) {
            let posteriors = try batch.map { try job.posterior(ofTarget: $0) }
            try store.write(PosteriorShard(targets: batch, posteriors: posteriors, predictiveDraws: job.settings.predictiveDraws,
                                           bins: job.catalogue.binCount), samplesPerTarget: s, parameters: d)
            completed += batch.count
            flagged += posteriors.filter { !$0.flags.isEmpty }.count
            // Keep only the timings: the samples are on disk now.
            sampled += posteriors.filter { $0.flags.isDisjoint(with: .notInferred) }.map {
                var timing = TargetPosterior.skipped(samples: 0, parameters: 0, importanceSampling: false, flags: $0.flags, reasons: [])
                timing.samplingSeconds = $0.samplingSeconds
                timing.importanceSeconds = $0.importanceSeconds
                timing.predictiveSeconds = $0.predictiveSeconds
                return timing
            }
            progress?(InferenceProgress(completedTargets: completed, totalTargets: total, resumedTargets: resumed,
                                        flaggedTargets: flagged, elapsedSeconds: elapsed()))
            if completed < total && shouldStop() {
                throw InferenceError.stopped(directory: store.directory.path, completedTargets: completed, totalTargets: total)
            }
        }
        try PosteriorFileWriter.assemble(job: job, store: store, shards: try store.finishedRanges(), output: output,
                                         runSeconds: elapsed())
        return try finish(job: job, output: output, store: store, resumed: resumed, sampled: sampled, seconds: elapsed())
    }

    /// The lock file of an output `OUT`: `.OUT.lock` beside it.
    public static func lockURL(of output: URL) -> URL {
        output.deletingLastPathComponent().appendingPathComponent(".\(output.lastPathComponent).lock")
    }

    /// Takes ``lockURL(of:)`` or throws ``RunLockError/held(path:holder:advice:)`` naming the live run.
    static func lockOutput(_ output: URL) throws -> RunLock {
        let command = (["npe-infer"] + CommandLine.arguments.dropFirst()).joined(separator: " ")
        do {
            return try RunLock.acquire(
                at: lockURL(of: output).path, purpose: command,
                advice: "another npe-infer run is writing \(output.lastPathComponent); wait for it to finish, or choose another --out")
        } catch let error as RegistryError {
            throw InferenceError.output(path: output.path, reason: "cannot lock: \(error)")
        }
    }

    /// Writes the CSV from the published file, removes the shards and sums up.
    static func finish(job: InferenceJob, output: URL, store: PosteriorShardStore, resumed: Int, sampled: [TargetPosterior],
                       seconds: Double) throws -> InferenceRunSummary {
        let posterior = try PosteriorFile.read(from: output, includingSamples: false)
        let csv = try PosteriorSummaryTable.write(posterior, besides: output)
        if FileManager.default.fileExists(atPath: store.directory.path) { try store.remove() }
        var counts: [String: Int] = [:]
        for flags in posterior.flags where !flags.isEmpty {
            for name in flags.names { counts[name, default: 0] += 1 }
        }
        let weighed = posterior.effectiveSampleSize.map { ess in zip(ess, posterior.efficiency!).filter { $0.0.isFinite } }
        return InferenceRunSummary(
            output: output, summaryCSV: csv, targetCount: posterior.targetCount, resumedTargets: resumed,
            flaggedTargets: posterior.flags.filter { !$0.isEmpty }.count, flagCounts: counts,
            meanEffectiveSampleSize: weighed.flatMap { $0.isEmpty ? nil : $0.reduce(0) { $0 + $1.0 } / Double($0.count) },
            meanEfficiency: weighed.flatMap { $0.isEmpty ? nil : $0.reduce(0) { $0 + $1.1 } / Double($0.count) },
            seconds: seconds, samplingSeconds: sampled.reduce(0) { $0 + $1.samplingSeconds },
            importanceSeconds: sampled.reduce(0) { $0 + $1.importanceSeconds }, sampledTargets: sampled.count,
            predictiveSeconds: sampled.reduce(0) { $0 + $1.predictiveSeconds },
            misfitThreshold: job.settings.predictiveCheck ? job.settings.misfitThreshold : nil,
            predictivePValues: posterior.predictive?.pValue)
    }
}
