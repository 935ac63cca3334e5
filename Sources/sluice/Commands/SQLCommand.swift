import ArgumentParser
import Foundation
import SluiceEngine
import SluiceSQL

struct SQLCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "sql", abstract: "Understand SQL files.", subcommands: [Split.self, Classify.self])

    /// `--engine` (CLI.md), also spelled `--dialect`.
    struct DialectOption: ParsableArguments {
        @Option(name: [.customLong("engine"), .customLong("dialect")], help: "sqlite or postgres")
        var engine: String = "sqlite"

        func dialect() throws -> SQLDialect {
            guard let dialect = SQLDialect(rawValue: engine.lowercased()) ?? (engine.lowercased() == "postgresql" ? .postgres : nil) else {
                throw SluiceError.usage("unknown engine '\(engine)'", hint: "Use sqlite or postgres.")
            }
            return dialect
        }
    }

    static func read(_ file: String) throws -> String {
        try SheetText.read(file: file)
    }

    struct Split: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Statements with byte offsets, line and column.")
        @OptionGroup var global: GlobalOptions
        @OptionGroup var dialect: DialectOption
        @Argument var file: String
        func run() throws {
            try runCommand {
                let sql = try SQLCommand.read(file)
                let statements: [SQLStatement]
                do { statements = try StatementSplitter.split(sql, dialect: try dialect.dialect()) } catch let e as SQLSplitError {
                    throw SluiceError.failure("\(file):\(e.line):\(e.column): \(e.message)")
                }
                if global.json { print(try Output.json(statements)) } else {
                    for s in statements { print("-- [\(s.index)] line \(s.line), column \(s.column), bytes \(s.start)..<\(s.end)\n\(s.text)") }
                }
            }
        }
    }

    struct Classify: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Statement types, DDL/DML, tables touched, transactional or not.")
        @OptionGroup var global: GlobalOptions
        @OptionGroup var dialect: DialectOption
        @Argument var file: String

        /// One row of `sql classify --json` (CLI.md).
        struct Row: Encodable {
            var index: Int, type: String, kind: String, tables: [String], transactional: Bool
            var line: Int, column: Int, start: Int, end: Int, note: String?
        }

        func run() throws {
            try runCommand {
                let sql = try SQLCommand.read(file)
                let classified: [ClassifiedStatement]
                do { classified = try SQLClassifier.classify(sql, dialect: try dialect.dialect()) } catch let e as SQLSplitError {
                    throw SluiceError.failure("\(file):\(e.line):\(e.column): \(e.message)")
                }
                if global.json {
                    print(try Output.json(classified.map {
                        Row(index: $0.index, type: $0.type, kind: $0.category.rawValue, tables: $0.tables, transactional: $0.transactional,
                            line: $0.line, column: $0.column, start: $0.statement.start, end: $0.statement.end, note: $0.note)
                    }))
                    return
                }
                for c in classified {
                    let tx = c.transactional ? "" : "  (cannot run in a transaction)"
                    print("\(file):\(c.line):\(c.column)  [\(c.index)] \(c.type) \(c.category.rawValue)  \(c.tables.joined(separator: ", "))\(tx)")
                    if let note = c.note { print("    note: \(note)") }
                }
                if classified.mixesDDLAndDML {
                    print("note: the sheet mixes schema changes (DDL) with data changes (DML)")
                }
            }
        }
    }
}
