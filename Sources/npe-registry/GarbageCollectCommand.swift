import ArgumentParser
import NPERegistry

struct GarbageCollectCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gc", abstract: "Delete temporary directories left by crashed publishes (live publishes are skipped).")

    @OptionGroup var options: RegistryOptions

    struct Collected: Encodable { var removed: [String]; var inProgress: [String] }

    func run() throws {
        let report = try options.opened.collectGarbage()
        if options.json { return try printJSON(Collected(removed: report.removed, inProgress: report.inProgress)) }
        var table = TextTable("PATH", "ACTION")
        for path in report.removed { table.append(path, "removed") }
        for path in report.inProgress { table.append(path, "skipped (publish in progress)") }
        print(report.removed.isEmpty && report.inProgress.isEmpty ? "nothing to collect" : table.rendered)
    }
}
