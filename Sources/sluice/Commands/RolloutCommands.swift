import ArgumentParser
import Foundation
import SluiceEngine

struct RolloutCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "rollout", abstract: "Start stages of an issue's rollout.", subcommands: [Run.self])

    struct Run: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Start the next (or the named) stage.")
        @OptionGroup var global: GlobalOptions
        @Argument var id: Int64
        @Option var stage: String?
        func run() throws {
            try runCommand {
                let ctx = try CommandContext(global)
                let tasks = try ctx.workspace.runStage(by: try ctx.principal(), issue: id, environment: stage)
                try ctx.emit(tasks.map(TaskJSON.init)) {
                    "Stage \(tasks.first?.environment ?? "") of #\(id) started: \(tasks.count) task(s) queued.\n"
                        + "They run in `sluice run` (or the TUI); follow one with `sluice task log TASK --follow`."
                }
            }
        }
    }
}

struct TaskCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "task", abstract: "Tasks of a rollout.",
                                                    subcommands: [List.self, Retry.self, Skip.self, Cancel.self, Log.self])

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List an issue's tasks with status and waiting cause.")
        @OptionGroup var global: GlobalOptions
        @Argument var id: Int64
        func run() throws {
            try runCommand {
                let ctx = try CommandContext(global)
                let tasks = try ctx.workspace.tasks(issue: id, by: try ctx.principal())
                try ctx.emit(tasks.map(TaskJSON.init)) {
                    Output.table(["TASK", "ENV", "DATABASE", "STATUS", "DETAIL"], tasks.map {
                        ["#\($0.id)", $0.environment, $0.database, StatusText.task($0.status),
                         $0.waitingCause ?? $0.skipReason.map { "skipped: \($0)" } ?? $0.latestRun?.message ?? ""]
                    })
                }
            }
        }
    }

    struct Retry: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Queue a new attempt of a FAILED or CANCELED task.")
        @OptionGroup var global: GlobalOptions
        @Argument var task: Int64
        func run() throws {
            try runCommand {
                let ctx = try CommandContext(global)
                let t = try ctx.workspace.retryTask(by: try ctx.principal(), task: task)
                try ctx.emit(TaskJSON(t)) { "Task #\(t.id) queued again (attempt \(t.latestRun?.attempt ?? 0))." }
            }
        }
    }

    struct Skip: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Skip a task, with a reason.")
        @OptionGroup var global: GlobalOptions
        @Argument var task: Int64
        @Option var reason: String
        func run() throws {
            try runCommand {
                let ctx = try CommandContext(global)
                let t = try ctx.workspace.skipTask(by: try ctx.principal(), task: task, reason: reason)
                try ctx.emit(TaskJSON(t)) { "Task #\(t.id) skipped." }
            }
        }
    }

    struct Cancel: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Cancel a pending or running task run.")
        @OptionGroup var global: GlobalOptions
        @Argument var task: Int64
        func run() throws {
            try runCommand {
                let ctx = try CommandContext(global)
                let t = try ctx.workspace.cancelTask(by: try ctx.principal(), task: task)
                try ctx.emit(TaskJSON(t)) {
                    t.status == .canceled ? "Task #\(t.id) canceled." : "Cancel of task #\(t.id) requested; its runner interrupts it."
                }
            }
        }
    }

    struct Log: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "The log of a task's runs.")
        @OptionGroup var global: GlobalOptions
        @Argument var task: Int64
        @Flag(help: "Keep printing new lines until the task stops running.") var follow = false

        struct LineJSON: Encodable {
            var id: Int64; var taskRunId: Int64; var at: Date; var kind: String; var statementIndex: Int?
            var line: Int?; var column: Int?; var durationMs: Double?; var affectedRows: Int?; var sql: String?; var message: String?
        }

        func run() throws {
            try runCommand {
                let ctx = try CommandContext(global)
                let actor = try ctx.principal()
                var after: Int64 = 0
                var all: [LineJSON] = []
                while true {
                    let (task, _, lines) = try ctx.workspace.taskLog(task: self.task, by: actor, after: after)
                    for l in lines {
                        after = l.id
                        let j = LineJSON(id: l.id, taskRunId: l.taskRunId, at: l.at, kind: l.kind, statementIndex: l.statementIndex,
                                         line: l.line, column: l.column, durationMs: l.durationMs, affectedRows: l.affectedRows,
                                         sql: l.sql, message: l.message)
                        if global.json { all.append(j) } else { Output.write(Log.format(l) + "\n") }
                    }
                    let active = task.status == .pending || task.status == .running
                    if !follow || !active { break }
                    Thread.sleep(forTimeInterval: 0.2)
                }
                if global.json { try ctx.printJSON(all) }
            }
        }

        static func format(_ l: TaskRunLogLine) -> String {
            let time = Output.iso(l.at)
            var s = "\(time) run \(l.taskRunId) \(l.kind)"
            if let i = l.statementIndex { s += " #\(i + 1)" }
            if let line = l.line, let col = l.column { s += " at \(line):\(col)" }
            if let d = l.durationMs { s += String(format: " %.2fms", d) }
            if let r = l.affectedRows { s += " rows=\(r)" }
            if let sql = l.sql { s += " " + one(String(sql.replacingOccurrences(of: "\n", with: " ").prefix(160))) }
            if let m = l.message { s += (l.sql == nil ? " " : " — ") + one(m) }
            return s
        }
    }
}
