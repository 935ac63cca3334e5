import ArgumentParser
import Foundation
import SluiceEngine

struct DbCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "db", abstract: "Target databases, their history and drift.",
                                                    subcommands: [List.self, History.self, Drift.self, Baseline.self, Label.self, DbSessionsCommand.self])

    struct DatabaseJSON: Encodable {
        var name: String; var instance: String; var database: String; var environment: String; var engine: String
        var labels: [String: String]; var location: String
        init(_ d: TargetDatabase) {
            name = d.ref.description; instance = d.instance; database = d.name; environment = d.environment
            engine = d.engine.rawValue; labels = d.labels; location = d.location
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List databases.")
        @OptionGroup var global: GlobalOptions
        @Option var env: String?
        @Option var instance: String?
        @Option(help: "k=v (repeatable; all must match).") var label: [String] = []
        func run() throws {
            try runCommand {
                let ctx = try CommandContext(global)
                _ = try ctx.principal()
                let list = try ctx.workspace.databases(environment: env, instance: instance, labels: label.isEmpty ? [:] : try LabelSelector(items: label.flatMap { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }, in: "--label").labels)
                try ctx.emit(list.map(DatabaseJSON.init)) {
                    Output.table(["DATABASE", "ENV", "ENGINE", "LABELS"], list.map { d in
                        [d.ref.description, d.environment, d.engine.rawValue,
                         d.labels.keys.sorted().map { k in "\(k)=\(d.labels[k] ?? "")" }.joined(separator: ",")]
                    })
                }
            }
        }
    }

    struct History: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "The migration history recorded in a database.")
        @OptionGroup var global: GlobalOptions
        @Argument var database: String

        static func tamperingNote(_ rows: [MigrationRecord]) -> String {
            let bad = rows.filter { $0.integrity == .tampered }.map { "#\($0.id)" }
            guard !bad.isEmpty else { return "" }
            return "\nTAMPERING: row(s) \(bad.joined(separator: ", ")) claim this workspace but their seal does not verify: they were forged or "
                + "altered in the database, and Sluice never trusts them (a task they claim runs anyway)."
        }

        func run() throws {
            try runCommand {
                let ctx = try CommandContext(global)
                let ref = try DatabaseRef(parsing: database)
                let rows = try ctx.workspace.history(ref, by: try ctx.principal())
                try ctx.emit(rows.map(HistoryJSON.init)) {
                    rows.isEmpty ? "No history recorded in \(one(ref.description)) yet." :
                    Output.table(["ID", "VERSION", "TYPE", "STATUS", "ISSUE", "RUN", "MS", "APPLIED AT", "BY", "SEAL"], rows.map {
                        ["\($0.id)", $0.version ?? "-", $0.type, $0.status, $0.issueId.map { "#\($0)" } ?? "-",
                         $0.taskRunId.map { "\($0)" } ?? "-", String(format: "%.1f", $0.durationMs), $0.appliedAt, $0.appliedBy,
                         $0.integrity == .tampered ? "TAMPERED" : $0.integrity == .verified ? "ok" : "other workspace"]
                    }) + Self.tamperingNote(rows)
                }
            }
        }
    }

    struct Drift: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Compare live schemas with the last recorded ones (exit 1 when drifted).")
        @OptionGroup var global: GlobalOptions
        @Argument var database: String?
        func run() throws {
            try runCommand {
                let ctx = try CommandContext(global)
                let reports = try ctx.workspace.drift(try database.map(DatabaseRef.init(parsing:)), by: try ctx.principal())
                try ctx.emit(reports) {
                    reports.isEmpty ? "No database whose history you may read (it needs issues.get in a project with an issue on it)." :
                    reports.map { r in
                        if r.drifted {
                            return "\(one(r.database)): DRIFTED\n    " + indented(r.diff.trimmingCharacters(in: .newlines), by: 4)
                                + (r.note.map { "\n    " + indented($0, by: 4) } ?? "")
                        }
                        return "\(one(r.database)): " + indented(r.note ?? "in sync", by: 4)
                    }.joined(separator: "\n")
                }
                if reports.contains(where: { $0.drifted || !$0.tampered.isEmpty }) { throw ExitCode(1) }
            }
        }
    }

    struct Baseline: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Accept the live schema as a version, without running SQL.")
        @OptionGroup var global: GlobalOptions
        @Argument var database: String
        @Option var version: String
        func run() throws {
            try runCommand {
                let ctx = try CommandContext(global)
                let r = try ctx.workspace.baseline(try DatabaseRef(parsing: database), version: version, by: try ctx.principal())
                try ctx.emit(HistoryJSON(r)) { "Baseline \(one(version)) recorded for \(one(database)) (history #\(r.id))." }
            }
        }
    }

    struct Label: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Set labels on a database (k=v; k= removes).")
        @OptionGroup var global: GlobalOptions
        @Argument var database: String
        @Argument var labels: [String]
        func run() throws {
            try runCommand {
                let ctx = try CommandContext(global)
                var parsed: [String: String] = [:]
                for item in labels {
                    let parts = item.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
                    guard parts.count == 2, !parts[0].isEmpty else {
                        throw SluiceError.usage("'\(one(item))' is not a label", hint: "Write KEY=VALUE to set a label, KEY= to remove it.")
                    }
                    parsed[parts[0]] = parts[1]
                }
                let d = try ctx.workspace.setLabels(by: try ctx.principal(), try DatabaseRef(parsing: database), parsed)
                try ctx.emit(DatabaseJSON(d)) { one("\(d.ref): " + d.labels.keys.sorted().map { "\($0)=\(d.labels[$0] ?? "")" }.joined(separator: ",")) }
            }
        }
    }
}
