import ArgumentParser
import Foundation
import SluiceEngine
import SluiceSQL

struct SQLCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "sql", abstract: "Understand SQL files.", subcommands: [Split.self])

    struct Split: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Statements with byte offsets, line and column.")
        @OptionGroup var global: GlobalOptions
        @Option var engine: String = "sqlite"
        @Argument var file: String
        func run() throws {
            try runCommand {
                guard let dialect = SQLDialect(rawValue: engine.lowercased()) else {
                    throw SluiceError.usage("unknown engine '\(engine)'", hint: "Use sqlite or postgres.")
                }
                guard let sql = try? String(contentsOfFile: file, encoding: .utf8) else { throw SluiceError.notFound("cannot read \(file)") }
                let statements: [SQLStatement]
                do { statements = try StatementSplitter.split(sql, dialect: dialect) } catch let e as SQLSplitError {
                    throw SluiceError.failure("\(file):\(e.line):\(e.column): \(e.message)")
                }
                if global.json { print(try Output.json(statements)) } else {
                    for s in statements { print("-- [\(s.index)] line \(s.line), column \(s.column), bytes \(s.start)..<\(s.end)\n\(s.text)") }
                }
            }
        }
    }
}
