import Foundation
import Testing
@testable import SluiceSQL

/// The raw-tree layouts (`PgRawLayouts.generated.swift`) are what the installed libpg_query's
/// proto says, and each one marked proved was read field by field over the corpus and found
/// equal to libpg_query's own JSON output.
@Suite struct PgRawLayoutTests {
    static let generatedPath = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Sources/SluiceSQL/LibPgQuery/RawTree/PgRawLayouts.generated.swift")

    /// Everything the proof reads: the node corpus, the migration fixtures, the review examples.
    static var corpus: [String] {
        PostgresNodeCorpus.statements + Script.postgres.map(\.text)
            + RuleExample.all.filter { $0.dialect == .postgres }.flatMap { [$0.bad, $0.good] }
            .filter { (try? PgParser.parse($0)) != nil }
    }

    @Test func generatedLayoutsMatchTheInstalledProtoAndAreProvedAgainstJSON() throws {
        let proto = PgLayoutGenerator.readProto(try String(contentsOfFile: PgLayoutGenerator.protoPath, encoding: .utf8))
        let layouts = PgLayoutGenerator.layouts(proto)
        let enumNames = PgLayoutGenerator.enumNames(proto)
        var proof = PgLayoutProof(layouts: layouts, enumNames: enumNames)
        for sql in Self.corpus { try proof.check(sql) }
        for (type, problems) in proof.mismatches.sorted(by: { $0.key < $1.key }) {
            Issue.record("\(type) disagrees with the JSON output: \(problems.joined(separator: "; "))")
        }
        let text = PgLayoutGenerator.render(layouts, proved: proof.proved, enumNames: enumNames, version: try PgLayoutGenerator.libraryVersion())
        if ProcessInfo.processInfo.environment["SLUICE_RECORD_LAYOUTS"] == "1" {
            try text.write(to: Self.generatedPath, atomically: true, encoding: .utf8)
        } else {
            let current = try String(contentsOf: Self.generatedPath, encoding: .utf8)
            #expect(current == text, "PgRawLayouts.generated.swift is stale: run SLUICE_RECORD_LAYOUTS=1 swift test --filter PgRawLayoutTests")
        }
        #expect(PgRawTree.isAvailable, "the parser path is off: the library is not the one the layouts were proved against")
        // What migrations are made of must take the fast path.
        for name in ["RangeVar", "CreateStmt", "ColumnDef", "Constraint", "TypeName", "IndexStmt", "IndexElem",
                     "AlterTableStmt", "AlterTableCmd", "InsertStmt", "UpdateStmt", "DeleteStmt", "SelectStmt",
                     "ResTarget", "A_Expr", "BoolExpr", "ColumnRef", "A_Const", "FuncCall", "TypeCast", "SubLink",
                     "CreateFunctionStmt", "FunctionParameter", "DefElem", "CreateTrigStmt", "DoStmt",
                     "VariableSetStmt", "DropStmt", "String", "Integer", "CommonTableExpr", "WithClause", "JoinExpr"] {
            if !proof.proved.contains(name) { Issue.record("\(name) is not proved by the corpus") }
        }
    }
}
