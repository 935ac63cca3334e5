import ArgumentParser
import Foundation
import SluiceEngine

struct IssueCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "issue", abstract: "Issues: a planned, reviewed and approved SQL change.",
        subcommands: [Create.self, List.self, Show.self, Approve.self, Reject.self, Rerequest.self, Comment.self,
                      Resolve.self, Cancel.self, EditSQL.self, Check.self])

    struct Create: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Create an issue from targets (one stage per environment) or a plan.json.")
        @OptionGroup var global: GlobalOptions
        @Option var project: String
        @Option var title: String
        @Option var sqlFile: String?
        @Option var sql: String?
        @Option(help: "INSTANCE/DB (repeatable).") var target: [String] = []
        @Option(help: "k=v: every database with these labels (repeatable).") var label: [String] = []
        @Option var type: String = "MIGRATE"
        @Option var schemaVersion: String?
        @Option(help: "Earliest allowed time, ISO 8601.") var at: String?
        @Option var description: String = ""
        @Option var assignee: String?
        @Option(help: "A Bytebase-shaped plan.json instead of targets.") var plan: String?

        func run() throws {
            try runCommand {
                let ctx = try CommandContext(global)
                let input: PlanInput
                if let plan {
                    guard sql == nil, sqlFile == nil, target.isEmpty, label.isEmpty else {
                        throw SluiceError.usage("--plan replaces --sql/--sql-file/--target/--label; give one or the other")
                    }
                    input = .document(try PlanDocument.load(path: plan))
                } else {
                    let text: String
                    switch (sql, sqlFile) {
                    case let (s?, nil): text = s
                    case let (nil, f?): text = try InputFile.read(f, what: "--sql-file \(one(f))", name: f)
                    case (nil, nil):
                        guard type.uppercased() == "BASELINE" else { throw SluiceError.usage("give the SQL with --sql or --sql-file") }
                        text = ""
                    default: throw SluiceError.usage("give either --sql or --sql-file, not both")
                    }
                    guard let specType = SpecType(rawValue: type.uppercased()) else {
                        throw SluiceError.usage("--type must be MIGRATE, DATA or BASELINE")
                    }
                    input = .targets(sql: text, databases: try target.map(DatabaseRef.init(parsing:)),
                                     labels: label.isEmpty ? [:] : try LabelSelector(items: label.flatMap { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }, in: "--label").labels, type: specType, schemaVersion: schemaVersion,
                                     earliestAllowedTime: at)
                }
                let actor = try ctx.principal()
                let issue = try ctx.workspace.createIssue(by: actor, project: project, title: title, description: description,
                                                          assignee: assignee, plan: input)
                if global.json { try ctx.printJSON(IssueShowJSON(try ctx.workspace.issueDetail(issue.id, by: actor))) } else {
                    print("Issue #\(issue.id) created: \(one(issue.title)) (approval \(issue.approvalStatus.rawValue)).\nNext: sluice issue show \(issue.id)")
                }
            }
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List issues.")
        @OptionGroup var global: GlobalOptions
        @Option var project: String?
        @Option var status: String?
        @Flag var mine = false
        func run() throws {
            try runCommand {
                let ctx = try CommandContext(global)
                let st = try status.map { s -> IssueStatus in
                    guard let v = IssueStatus(rawValue: s.uppercased()) else { throw SluiceError.usage("--status must be OPEN, DONE or CANCELED") }
                    return v
                }
                let list = try ctx.workspace.issues(by: try ctx.principal(), project: project, status: st, mine: mine)
                try ctx.emit(list) {
                    Output.table(["ID", "PROJECT", "STATUS", "APPROVAL", "RISK", "CREATOR", "TITLE"], list.map {
                        ["#\($0.id)", $0.project, $0.status.rawValue, $0.approvalStatus.rawValue, $0.riskLevel.rawValue, $0.creator, $0.title]
                    })
                }
            }
        }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Plan, stages, tasks, approvals, risk and timeline of an issue.")
        @OptionGroup var global: GlobalOptions
        @Argument var id: Int64
        func run() throws {
            try runCommand {
                let ctx = try CommandContext(global)
                let actor = try ctx.principal()
                let d = try ctx.workspace.issueDetail(id, by: actor)
                let progress = try ctx.workspace.approvalProgress(issue: id, for: actor)
                let checks = try ctx.workspace.planChecks(issue: id, by: actor)
                try ctx.emit(IssueShowJSON(d, checks: checks)) { IssueCommand.render(d, progress: progress) + IssueCommand.render(checks) }
            }
        }
    }

    static func render(_ d: IssueDetail, progress: ApprovalProgress? = nil) -> String {
        var out = ["#\(d.issue.id) \(one(d.issue.title))",
                   "  \(d.issue.status.rawValue) · risk \(d.issue.riskLevel.rawValue) · approval \(d.issue.approvalStatus.rawValue) · project \(one(d.issue.project)) · by \(one(d.issue.creator))"]
        if !d.issue.description.isEmpty { out.append("  " + indented(d.issue.description, by: 2)) }
        if !d.issue.riskReason.isEmpty { out.append("  risk \(d.issue.riskLevel.rawValue) (\(one(d.issue.riskSource))): \(one(d.issue.riskReason))") }
        if !d.approvals.isEmpty {
            out.append("  approvals: " + d.approvals.map { a in
                let mark = a.status == "APPROVED" ? "✓" : a.status == "REJECTED" ? "✗" : "○"
                return "\(mark) \(one(a.role))\(a.approver.map { " (\(one($0)))" } ?? "")"
            }.joined(separator: "  →  "))
            if let progress, let next = progress.nextRole { out.append("  next: \(one(next)): \(one(progress.note))") }
        }
        for s in d.stages {
            let done = s.tasks.filter { $0.status.finishesStage }.count
            out.append("")
            out.append("  stage \(one(s.stage.environment))  \(done)/\(s.tasks.count) finished")
            let rows = s.tasks.map { t in
                ["    #\(t.id)", t.database, StatusText.task(t.status), t.specId,
                 t.waitingCause ?? t.skipReason.map { "skipped: \($0)" } ?? t.latestRun?.message ?? ""]
            }
            out.append(Output.table(["    TASK", "DATABASE", "STATUS", "SPEC", "DETAIL"], rows))
        }
        if !d.timeline.isEmpty {
            out.append("")
            out.append("  timeline:")
            for e in d.timeline.suffix(12) { out.append("    \(Output.iso(e.at))  \(one(e.actor))  " + indented(e.text, by: 6)) }
        }
        return out.joined(separator: "\n")
    }

    struct Approve: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Approve the current step of the approval flow.")
        @OptionGroup var global: GlobalOptions
        @Argument var id: Int64
        @Option var comment: String?
        func run() throws {
            try runCommand {
                let ctx = try CommandContext(global)
                let i = try ctx.workspace.approve(by: try ctx.principal(), issue: id, comment: comment)
                try ctx.emit(i) { "Issue #\(i.id): approval \(i.approvalStatus.rawValue)." }
            }
        }
    }

    struct Reject: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Reject with a comment; the creator re-requests review.")
        @OptionGroup var global: GlobalOptions
        @Argument var id: Int64
        @Option var comment: String
        func run() throws {
            try runCommand {
                let ctx = try CommandContext(global)
                let i = try ctx.workspace.reject(by: try ctx.principal(), issue: id, comment: comment)
                try ctx.emit(i) { "Issue #\(i.id) rejected." }
            }
        }
    }

    struct Rerequest: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Ask for review again after a rejection.")
        @OptionGroup var global: GlobalOptions
        @Argument var id: Int64
        func run() throws {
            try runCommand {
                let ctx = try CommandContext(global)
                let i = try ctx.workspace.rerequest(by: try ctx.principal(), issue: id)
                try ctx.emit(i) { "Issue #\(i.id): review re-requested." }
            }
        }
    }

    struct Comment: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Comment on an issue.")
        @OptionGroup var global: GlobalOptions
        @Argument var id: Int64
        @Option var text: String
        func run() throws {
            try runCommand {
                let ctx = try CommandContext(global)
                let e = try ctx.workspace.comment(by: try ctx.principal(), issue: id, text: text)
                try ctx.emit(e) { "Comment added to #\(id)." }
            }
        }
    }

    struct Resolve: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Mark an issue DONE.")
        @OptionGroup var global: GlobalOptions
        @Argument var id: Int64
        func run() throws {
            try runCommand {
                let ctx = try CommandContext(global)
                let i = try ctx.workspace.setIssueStatus(by: try ctx.principal(), issue: id, to: .done)
                try ctx.emit(i) { "Issue #\(i.id) resolved." }
            }
        }
    }

    struct Cancel: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Cancel an issue.")
        @OptionGroup var global: GlobalOptions
        @Argument var id: Int64
        func run() throws {
            try runCommand {
                let ctx = try CommandContext(global)
                let i = try ctx.workspace.setIssueStatus(by: try ctx.principal(), issue: id, to: .canceled)
                try ctx.emit(i) { "Issue #\(i.id) canceled." }
            }
        }
    }

    struct EditSQL: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "edit-sql", abstract: "Replace the SQL of a spec; resets approval.")
        @OptionGroup var global: GlobalOptions
        @Argument var id: Int64
        @Option var spec: String
        @Option var sqlFile: String?
        @Option var sql: String?
        func run() throws {
            try runCommand {
                let ctx = try CommandContext(global)
                let text: String
                if let sql { text = sql } else if let sqlFile { text = try InputFile.read(sqlFile, what: "--sql-file \(one(sqlFile))", name: sqlFile) } else {
                    throw SluiceError.usage("give the new SQL with --sql or --sql-file")
                }
                let i = try ctx.workspace.editSQL(by: try ctx.principal(), issue: id, spec: spec, sql: text)
                try ctx.emit(i) { "Spec \(one(spec)) of #\(i.id) updated; approval \(i.approvalStatus.rawValue)." }
            }
        }
    }
}
