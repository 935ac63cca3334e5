import Foundation
import Testing
@testable import SluiceSQL

/// The PostgreSQL sheet policy: what it refuses, where it points, what it says, and what it lets
/// through.
@Suite struct PostgresSheetPolicyTests {
    @Test(arguments: hostile)
    func hostileSheetIsRefusedWhereItOffends(_ sheet: HostileSheet) throws {
        let violations = PostgresSheetPolicy.violations(in: sheet.sql)
        #expect(violations.count == 1, "\(violations)")
        let violation = try #require(violations.first)
        #expect(violation.construct.contains(sheet.construct), "construct \(violation.construct.debugDescription)")
        #expect(violation.line == sheet.line, "\(violation)")
        #expect(violation.column == sheet.column, "\(violation)")
        #expect(violation.statementIndex == sheet.statement, "\(violation)")
        #expect(!violation.reason.isEmpty && !violation.hint.isEmpty)
    }

    @Test(arguments: legitimate)
    func legitimateMigrationIsAllowed(_ sql: String) throws {
        #expect(try !StatementSplitter.split(sql, dialect: .postgres).isEmpty)
        #expect(PostgresSheetPolicy.violations(in: sql) == [])
    }

    @Test func hostileAndLegitimateTablesAreLargeEnough() {
        #expect(Self.hostile.count >= 60)
        #expect(Self.legitimate.count >= 30)
    }

    /// The description carries the position, the construct, the reason and the hint, and
    /// nothing taken from the sheet's literals (which may hold data, paths or passwords).
    @Test(arguments: hostile)
    func descriptionSaysWhereWhatWhyAndWhatInsteadWithoutData(_ sheet: HostileSheet) throws {
        let violation = try #require(PostgresSheetPolicy.violations(in: sheet.sql).first)
        let text = violation.description
        #expect(text.hasPrefix("line \(sheet.line), column \(sheet.column): "))
        #expect(text.contains(violation.construct))
        #expect(text.contains(violation.reason))
        #expect(text.hasSuffix(violation.hint))
        for literal in Self.literals(of: sheet.sql) where literal.count >= 3 {
            #expect(!violation.construct.contains(literal), "\(text) quotes \(literal.debugDescription)")
            guard !Self.policyWords.contains(literal) else { continue }
            #expect(!text.contains(literal), "\(text) quotes \(literal.debugDescription)")
        }
    }

    /// Words of the policy's own reasons and hints that some hostile sheets also hold in a
    /// literal (`set_config('role', …)`); finding them in a reason or hint quotes nothing.
    static let policyWords: Set<String> = ["role", "sluice_migration_history"]

    // MARK: Details

    @Test func everyOffendingStatementOfASheetIsReportedInOrder() {
        let sql = """
            CREATE TABLE notes (id int);
            BEGIN;
            INSERT INTO notes VALUES (1);
            SET search_path = evil;
            SELECT pg_read_file('x');
            COMMIT;
            """
        let found = PostgresSheetPolicy.violations(in: sql)
        #expect(found.map(\.statementIndex) == [1, 3, 4, 5])
        #expect(found.map(\.construct) == ["BEGIN", "SET search_path", "pg_read_file()", "COMMIT"])
        #expect(found.map(\.line) == [2, 4, 5, 6])
        #expect(found.map(\.column) == [1, 1, 8, 1])
    }

    @Test func oneStatementReportsItsFirstRefusalOnly() {
        // Transaction control outranks the reserved name and the function.
        let found = PostgresSheetPolicy.violations(in: "PREPARE p AS DELETE FROM sluice_migration_history WHERE pg_read_file('x') <> '';")
        #expect(found.map(\.construct) == ["PREPARE"])
        // The reserved name outranks the function.
        let write = PostgresSheetPolicy.violations(in: "DELETE FROM sluice_migration_history WHERE pg_read_file('x') <> '';")
        #expect(write.map(\.construct) == ["DELETE FROM sluice_migration_history"])
    }

    @Test func statementsThatParseAreCheckedBesideOnesThatDoNot() {
        let found = PostgresSheetPolicy.violations(in: "SELEC 1;\nCOMMIT;\n")
        #expect(found.map(\.construct) == ["COMMIT"])
        #expect(found.map(\.line) == [2])
        #expect(PostgresSheetPolicy.violations(in: "SELEC pg_read_file('x');") == [])
        #expect(PostgresSheetPolicy.violations(in: "") == [])
    }

    @Test func aSheetThatCannotBeSplitIsCheckedUpToWhereSplittingFails() {
        let found = PostgresSheetPolicy.violations(in: "SELECT 1;\n  COMMIT;\nSELECT 'never closed\n")
        #expect(found.map(\.construct) == ["COMMIT"])
        #expect(found.map(\.line) == [2])
        #expect(found.map(\.column) == [3])
        #expect(found.map(\.statementIndex) == [1])
        #expect(PostgresSheetPolicy.violations(in: "SELECT 'never closed; COMMIT;") == [])
    }

    @Test func aStatementOnItsOwnIsPositionedByItsOwnLineAndColumn() {
        let text = "UPDATE accounts\n   SET note = pg_read_file('x');"
        let statement = SQLStatement(index: 4, text: text, start: 120, end: 120 + text.utf8.count, line: 7, column: 5)
        let found = PostgresSheetPolicy.violations(of: statement)
        #expect(found == [SheetViolation(
            statementIndex: 4, line: 8, column: 15, construct: "pg_read_file()",
            reason: found.first?.reason ?? "", hint: found.first?.hint ?? "")])
        let onFirstLine = SQLStatement(index: 0, text: "SELECT lo_import('f');", start: 10, end: 32, line: 3, column: 11)
        #expect(PostgresSheetPolicy.violations(of: onFirstLine).map(\.column) == [18])
    }

    @Test func columnsCountCharactersNotBytes() {
        let found = PostgresSheetPolicy.violations(in: "SELECT 'héllo😀', pg_read_file('x');")
        #expect(found.map(\.column) == [18])
    }

    @Test func hintsSayWhatToWriteInstead() {
        let commit = PostgresSheetPolicy.violations(in: "COMMIT;").first
        #expect(commit?.hint.contains("CREATE INDEX CONCURRENTLY") == true)
        let set = PostgresSheetPolicy.violations(in: "SET lock_timeout = '5s';").first
        #expect(set?.hint == "Use SET LOCAL lock_timeout = …, which ends with the task's transaction.")
        let lock = PostgresSheetPolicy.violations(in: "SELECT pg_advisory_lock(1);").first
        #expect(lock?.hint.contains("pg_advisory_xact_lock") == true)
        let copy = PostgresSheetPolicy.violations(in: "COPY t TO STDOUT;").first
        #expect(copy?.hint.contains("INSERT") == true)
        let role = PostgresSheetPolicy.violations(in: "CREATE ROLE r;").first
        #expect(role?.hint == "Roles and databases are instance-wide; a DBA manages them outside a sheet.")
    }

    @Test func deniedFunctionsMatchWithoutCaseOrSchema() {
        #expect(PostgresSheetPolicy.deniedFamily(ofFunction: "PG_READ_FILE") == .files)
        #expect(PostgresSheetPolicy.deniedFamily(ofFunction: "pg_ls_logdir") == .files)
        #expect(PostgresSheetPolicy.deniedFamily(ofFunction: "dblink_exec") == .remote)
        #expect(PostgresSheetPolicy.deniedFamily(ofFunction: "pg_advisory_xact_lock") == nil)
        #expect(PostgresSheetPolicy.deniedFamily(ofFunction: "pg_try_advisory_xact_lock_shared") == nil)
        #expect(PostgresSheetPolicy.deniedFamily(ofFunction: "pg_sleep") == nil)
        #expect(PostgresSheetPolicy.deniedFamily(ofFunction: "lo_from_bytea") == nil)
    }

    // MARK: Helpers

    /// The contents of the single-quoted literals of `sql` (doubled quotes not unescaped).
    static func literals(of sql: String) -> [String] {
        var found: [String] = []
        var current: String?
        for character in sql {
            if character == "'" {
                if let literal = current { found.append(literal); current = nil } else { current = "" }
            } else if current != nil {
                current?.append(character)
            }
        }
        return found
    }
}
