/// Why a dataset build, import or simulation run cannot go on. Every case names the file involved, and the field,
/// row or column where there is one.
public enum DatasetBuildError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The output directory already holds a build (or other files) and `--resume` was not given.
    case outputExists(path: String)
    /// `--resume` was given but there is no plan to resume.
    case nothingToResume(path: String)
    /// The saved plan disagrees with this run's request in `field`.
    case planMismatch(file: String, field: String, saved: String, requested: String)
    /// A plan file exists but cannot be read or parsed.
    case invalidPlan(file: String, reason: String)
    /// A shard file on disk is damaged or does not belong to the plan; delete it and resume to recompute it.
    case corruptShard(file: String, reason: String)
    /// An argument is unusable (`field` names it: `rows`, `threads`, `shard rows`, `simulator`, …).
    case invalidArgument(field: String, reason: String)
    /// The requested simulator name is not registered.
    case unknownSimulator(name: String, known: [String])
    /// An input file is unusable; `location` says where (dataset, row, column, line), `reason` why.
    case invalidInput(file: String, location: String, reason: String)
    /// A file or directory could not be written.
    case cannotWrite(path: String, reason: String)
    /// The build stopped early because its continuation check said so; completed shards are kept for `--resume`.
    case interrupted(completedShards: Int, totalShards: Int)

    public var description: String {
        switch self {
        case .outputExists(let path):
            return
                "\(path): output already exists; pass --resume to finish an interrupted build, or choose another --out"
        case .nothingToResume(let path): return "\(path): nothing to resume (no shards/manifest.json)"
        case .planMismatch(let file, let field, let saved, let requested):
            return "\(file): field '\(field)' is \(saved) in the saved plan but \(requested) in this run; "
                + "rerun with the original settings, or choose another --out"
        case .invalidPlan(let file, let reason): return "\(file): unreadable build plan: \(reason)"
        case .corruptShard(let file, let reason):
            return "\(file): corrupt shard: \(reason); delete this file and rerun with --resume to recompute it"
        case .invalidArgument(let field, let reason): return "invalid \(field): \(reason)"
        case .unknownSimulator(let name, let known):
            return "unknown simulator '\(name)'; known: \(known.joined(separator: ", "))"
        case .invalidInput(let file, let location, let reason): return "\(file): \(location): \(reason)"
        case .cannotWrite(let path, let reason): return "\(path): cannot write: \(reason)"
        case .interrupted(let completed, let total):
            return "build interrupted after \(completed) of \(total) shards; rerun with --resume to finish"
        }
    }
}
