import ArgumentParser
import NPERegistry

struct VerifyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify", abstract: "Recompute checksums and check cards against their schema.",
        discussion: "Exits with status 1 when any problem is found.")

    @OptionGroup var options: RegistryOptions

    @Argument(help: "NAME (every version) or NAME@REF (one version); the whole registry when omitted.")
    var reference: String?

    struct Verified: Encodable { var reference: String; var intact: Bool; var problems: [String] }

    func run() throws {
        let registry = options.opened
        let reports: [VerificationReport]
        if let reference {
            let parsed = try ModelReference(parsing: reference)
            reports = reference.contains("@") ? [try registry.verify(registry.resolve(parsed))] : try registry.verifyModel(parsed.name)
        } else {
            // Entries that hide a model (a symbolic link in its place) fail too, rather than vanishing.
            reports = try registry.modelNames().flatMap { try registry.verifyModel($0) } + registry.verifySkippedEntries()
            notifySkipped(try registry.skippedEntries().filter { $0.problem == nil })
        }
        let rows = reports.map { Verified(reference: $0.subject, intact: $0.isIntact, problems: $0.problems.map(\.description)) }
        if options.json {
            try printJSON(rows)
        } else {
            var table = TextTable("REFERENCE", "STATUS", "PROBLEM")
            for row in rows {
                table.append(row.reference, row.intact ? "ok" : "FAILED", row.problems.first ?? "")
                for problem in row.problems.dropFirst() { table.append("", "", problem) }
            }
            print(table.rendered)
        }
        if rows.contains(where: { !$0.intact }) { throw ExitCode(1) }
    }
}
