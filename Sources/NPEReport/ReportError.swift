import Foundation

/// Why `npe-report` could not write a report. Each case names the file or option at fault.
public enum ReportError: Error, Equatable, CustomStringConvertible {
    case missingPosterior(path: String)
    /// The posterior file cannot be read (an unknown format version, not a posterior file, damaged).
    case unreadablePosterior(path: String, reason: String)
    case missingEvaluation(path: String)
    case invalidEvaluation(path: String, reason: String)
    /// The output directory exists and is not a report this tool wrote (it is never replaced then).
    case outputNotAReport(path: String)
    case output(path: String, reason: String)
    /// The plotting Python or its scripts could not be found or failed.
    case plotting(reason: String)
    case invalidOption(name: String, reason: String)

    public var description: String {
        switch self {
        case let .missingPosterior(path): return "\(path): no such posterior file"
        case let .unreadablePosterior(path, reason): return "\(path): cannot read the posterior file: \(reason)"
        case let .missingEvaluation(path): return "\(path): no such evaluation file (the JSON npe-validate writes with --out, or a registry evaluation record)"
        case let .invalidEvaluation(path, reason): return "\(path): not an npe-validate evaluation: \(reason)"
        case let .outputNotAReport(path):
            return "\(path): exists and is not an npe-report site (no \(ReportSite.markerName)); choose another --out or remove it"
        case let .output(path, reason): return "\(path): \(reason)"
        case let .plotting(reason): return "plots: \(reason)"
        case let .invalidOption(name, reason): return "\(name): \(reason)"
        }
    }
}
