import Foundation
import SluiceSQL

/// The dry run of one stage on one database: its sheets joined in order and run once, in one
/// rolled-back transaction, so each sheet sees what the earlier ones did; then each checked
/// sheet's share of the report, with positions and statement numbers of its own. Every sheet runs
/// once whatever its place, so a plan of 10,000 specs on one database costs 10,000 sheets, not
/// 50 million. The time limit is the whole group's: the target's write lock is never held longer.
struct PlanCheckDryRun {
    /// A checked sheet's dry-run results, and the rows each of its statements changed (nil unless it ran to its end).
    typealias Share = ([PlanCheckResult], [Int: Int64]?)

    let group: PlanChecker.Group
    let options: PlanCheckOptions
    let dialect: SQLDialect

    func run(_ driver: any TargetDriver) -> [Int64: Share] {
        let engine = group.database.engine
        var shares: [Int64: Share] = [:]
        // The sheet policy first: a refused sheet never runs, and the sheets after it cannot be tried.
        var refusedAt: Int?
        for (k, entry) in group.entries.enumerated() {
            let refusals = SheetPolicy.violations(in: entry.sheet, engine: engine)
            guard !refusals.isEmpty else { continue }
            refusedAt = k
            if let job = entry.job {
                shares[job.taskId] = (refusals.map { v in
                    PlanCheckResult(status: .error, title: "refused by the sheet policy",
                                    content: "statement \(v.statementIndex + 1): \(v.construct) is refused: \(v.reason). \(v.hint)"
                                        + (v.hint.hasSuffix(".") ? "" : ".") + " The dry run did not run.",
                                    statementIndex: v.statementIndex, line: v.line, column: v.column)
                }, nil)
            }
            break
        }
        let cut = refusedAt ?? group.entries.count
        for entry in group.entries[cut...].dropFirst() {
            guard let job = entry.job else { continue }
            shares[job.taskId] = ([Self.notTried("is refused by the sheet policy")], nil)
        }
        guard let last = group.entries[..<cut].lastIndex(where: { $0.job != nil }) else { return shares }

        let layout = Layout(sheets: group.entries[...last].map(\.sheet), dialect: dialect)
        let report = driver.dryRun(group.database, sql: layout.text, timeLimit: options.dryRunTimeLimit, cancel: CancellationHandle())
        let ran = Dictionary(grouping: report.statements, by: { layout.entry(ofLine: $0.line) })
        let failedAt = report.failure.map { layout.entry(ofLine: $0.line) }
        // The first sheet not every statement of which ran (where a time limit or cancel stopped the run).
        let unfinished = (0...last).first { (ran[$0]?.count ?? 0) < layout.statementCount[$0] } ?? last + 1

        for k in 0...last {
            guard let job = group.entries[k].job else { continue }
            let own = ran[k] ?? []
            func passed() -> Share {
                var rows: [Int: Int64] = [:]
                for s in own { rows[s.index - layout.firstStatement[k]] = s.affectedRows }
                let total = rows.values.reduce(0, +)
                let ms = own.reduce(0) { $0 + $1.durationMs }
                let content = "\(own.count) statement(s) ran\(report.ranAs.map { " as check role \($0)" } ?? "") and were rolled back in "
                    + "\(String(format: "%.0f", ms)) ms; \(total) row(s) affected"
                return ([PlanCheckResult(status: .success, title: "dry run passed", content: content)], rows)
            }
            switch report.outcome {
            case .success where report.mode == .explainOnly:
                let content = "limited to EXPLAIN: \(group.database.ref.instance) has no check role, so the sheet did not run (unapproved SQL never runs "
                    + "with the instance's own privileges); its data changes were planned and nothing was read. "
                    + "`sluice instance set \(group.database.ref.instance) --check-role ROLE` runs the full dry run as ROLE."
                shares[job.taskId] = ([PlanCheckResult(status: .success, title: "dry run limited to EXPLAIN", content: content)], nil)
            case .success:
                shares[job.taskId] = passed()
            case .failed, .refused:
                guard let failure = report.failure, let at = failedAt else {
                    shares[job.taskId] = ([PlanCheckResult(status: .error, title: "dry run failed",
                                                           content: report.note ?? "the dry run could not start")], nil)
                    continue
                }
                if k < at {
                    shares[job.taskId] = passed()
                } else if k > at {
                    shares[job.taskId] = ([Self.notTried(report.outcome == .refused ? "is refused by the sheet policy" : "fails in its dry run: \(failure.message)")], nil)
                } else {
                    let index = failure.statementIndex - layout.firstStatement[k]
                    let line = failure.line - layout.startLine[k] + 1
                    shares[job.taskId] = report.outcome == .refused
                        ? ([PlanCheckResult(status: .error, title: "refused by the sheet policy",
                                            content: "statement \(index + 1): \(failure.message)"
                                                + (failure.message.hasSuffix(".") ? "" : ".") + " Everything was rolled back.",
                                            statementIndex: index, line: line, column: failure.column)], nil)
                        : ([PlanCheckResult(status: .error, title: "dry run failed",
                                            content: "statement \(index + 1) fails: \(failure.message); everything was rolled back",
                                            statementIndex: index, line: line, column: failure.column)], nil)
                }
            case .timedOut, .canceled:
                if k < unfinished {
                    shares[job.taskId] = passed()
                } else {
                    let sheets = last + 1
                    let scope = sheets > 1 ? " (the dry run of \(group.database.ref) runs the \(sheets) sheets of this stage there in order, under one limit)" : ""
                    let content = "skipped: " + (report.note ?? "stopped after \(options.dryRunTimeLimit) s") + scope + "; nothing was changed"
                    shares[job.taskId] = ([PlanCheckResult(status: .warning, title: "dry run skipped", content: content)], nil)
                }
            }
        }
        return shares
    }

    static func notTried(_ why: String) -> PlanCheckResult {
        PlanCheckResult(status: .warning, title: "dry run skipped",
                        content: "an earlier spec on this database \(why), so this one could not be tried")
    }

    /// Where each sheet sits in the joined text.
    struct Layout {
        let text: String
        /// The 1-based line of the joined text on which each sheet starts.
        let startLine: [Int]
        /// The index (in the joined text) of each sheet's first statement, and how many it has.
        let firstStatement: [Int]
        let statementCount: [Int]

        init(sheets: [String], dialect: SQLDialect) {
            var text = ""
            var starts: [Int] = []
            var counts: [Int] = []
            var line = 1
            for sheet in sheets {
                starts.append(line)
                // A space first, so a sheet ending in a lone CR does not join the separator's LF into one break.
                text += sheet + " \n;\n"
                line += LineIndex(sheet).lineCount - 1 + 2
                counts.append((try? StatementSplitter.split(sheet, dialect: dialect))?.count ?? 0)
            }
            self.text = text
            startLine = starts
            statementCount = counts
            var first: [Int] = []
            var total = 0
            for c in counts { first.append(total); total += c }
            firstStatement = first
        }

        /// The sheet a line of the joined text belongs to.
        func entry(ofLine line: Int) -> Int {
            var low = 0, high = startLine.count
            while low < high {
                let mid = (low + high) / 2
                if startLine[mid] <= line { low = mid + 1 } else { high = mid }
            }
            return max(0, low - 1)
        }
    }
}
