import ArgumentParser
import Foundation
import SluiceEngine

extension IssueCommand {
    /// `sluice issue check ID`: run the plan checks again.
    struct Check: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Run the plan checks of an issue again (connect, review, summary, dry run).")
        @OptionGroup var global: GlobalOptions
        @Argument var id: Int64
        @Option(parsing: .unconditional, help: "Seconds a dry run may take before it is skipped with a warning (more than 0, at most 3600).")
        var dryRunTimeLimit: Double = 10
        @Option(parsing: .unconditional, help: "Databases checked at the same time (1 to 256).") var concurrency: Int = 4

        func run() throws {
            try runCommand {
                let ctx = try CommandContext(global)
                let checks = try ctx.workspace.runPlanChecks(by: try ctx.principal(), issue: id,
                                                             options: PlanCheckOptions(dryRunTimeLimit: dryRunTimeLimit, concurrency: concurrency))
                try ctx.emit(checks) { checks.isEmpty ? "no task of issue #\(id) is waiting to run: nothing to check" : IssueCommand.render(checks) }
                if checks.contains(where: { $0.status == .error }) { throw ExitCode(5) }
            }
        }
    }

    /// Plan checks as text: one line per task and check, then the results that are not SUCCESS with positions.
    static func render(_ checks: [PlanCheck]) -> String {
        guard !checks.isEmpty else { return "" }
        var out = ["", "  checks:"]
        let mark: (PlanCheckStatus) -> String = { $0 == .success ? "✓ SUCCESS" : $0 == .warning ? "! WARNING" : "✗ ERROR" }
        for (task, group) in Dictionary(grouping: checks, by: \.taskId).sorted(by: { $0.key < $1.key }) {
            guard let first = group.first else { continue }
            out.append("    #\(task) \(one(first.database)) (spec \(one(first.specId))): " + group.map { "\($0.kind.title) \(mark($0.status))" }.joined(separator: " · "))
            for check in group {
                for r in check.results where r.status != .success || check.kind == .statementSummary {
                    let position = r.line.map { "line \($0)\(r.column.map { ", column \($0)" } ?? ""): " } ?? ""
                    let level = r.status == .success ? "" : "\(r.status.rawValue) "
                    out.append("      \(level)\(check.kind.title) · \(one(r.title)): \(position)" + indented(r.content, by: 8))
                }
            }
        }
        return out.joined(separator: "\n")
    }
}
