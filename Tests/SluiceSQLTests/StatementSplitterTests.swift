import Foundation
import Testing
@testable import SluiceSQL

@Suite struct StatementSplitterTests {
    @Test func statementsEncodeToTheShapeOfSqlSplitJSON() throws {
        let statements = try StatementSplitter.split("-- é\nSELECT 1;", dialect: .sqlite)
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let json = String(decoding: try encoder.encode(statements), as: UTF8.self)
        #expect(json == #"[{"column":1,"end":15,"index":0,"line":2,"start":6,"text":"SELECT 1;"}]"#)
        #expect(try JSONDecoder().decode([SQLStatement].self, from: Data(json.utf8)) == statements)
    }

    /// Both dialects cut the same way, skip a byte-order mark (which would otherwise stick to
    /// the first keyword), and count CRLF as one line break.
    @Test(arguments: SQLDialect.allCases)
    func bothDialectsFollowTheSameTextRule(_ dialect: SQLDialect) throws {
        let sql = "\u{FEFF}-- lead\r\n  SELECT 'é;' ; ; /* x */ SELECT 2 -- tail\r\n"
        let statements = try StatementSplitter.split(sql, dialect: dialect)
        #expect(statements.map(\.text) == ["SELECT 'é;' ;", "SELECT 2"])
        #expect(statements.map(\.line) == [2, 2])
        #expect(statements.map(\.column) == [3, 27])
        #expect(statements.map(\.start) == [14, 39])
        let glued = try StatementSplitter.split("\u{FEFF}SELECT 1", dialect: dialect)
        #expect(glued.map(\.text) == ["SELECT 1"])
        #expect(glued.first?.column == 1 && glued.first?.start == 3)
    }

    @Test(arguments: SQLDialect.allCases)
    func aNulCharacterIsRefusedRatherThanEndingTheScriptEarly(_ dialect: SQLDialect) {
        let error = splitError("SELECT 1;\n-- ok\0\nDROP TABLE t;", dialect)
        #expect(error?.kind == .nulCharacter)
        #expect(error?.line == 2 && error?.column == 6 && error?.offset == 15)
    }

    /// Many threads splitting at once (and calling libpg_query directly, through the same lock)
    /// get the serial results, and stderr, which some libpg_query builds redirect during each
    /// call, is left where it was.
    @Test func concurrentSplittingMatchesSerialAndLeavesStderrAlone() throws {
        let scripts = (Script.postgres + Script.sqlite).map(\.text)
        let dialects: [SQLDialect] = [.postgres, .postgres, .sqlite, .sqlite]
        let expected = try zip(scripts, dialects).map { try StatementSplitter.split($0, dialect: $1) }
        let stderrBefore = stderrIdentity()

        let mismatches = Counter()
        let threads = 8
        let done = DispatchGroup()
        for thread in 0..<threads {
            done.enter()
            Thread.detachNewThread {
                defer { done.leave() }
                for round in 0..<40 {
                    let pick = (thread + round) % scripts.count
                    let result = try? StatementSplitter.split(scripts[pick], dialect: dialects[pick])
                    if result != expected[pick] { mismatches.increment() }
                    // Interleave direct libpg_query calls and scanner errors with the splits.
                    if round % 5 == 0 {
                        if (try? PgQueryOracle.statementCount(parsing: "SELECT 1; SELECT 2")) != 2 { mismatches.increment() }
                        if splitError("SELECT 'open", .postgres)?.kind != .unterminatedString { mismatches.increment() }
                    }
                }
            }
        }
        done.wait()
        #expect(mismatches.value == 0)
        #expect(stderrIdentity() == stderrBefore)
    }
}

/// The device and inode stderr (file descriptor 2) points at.
private func stderrIdentity() -> [UInt64] {
    var status = stat()
    guard fstat(2, &status) == 0 else { return [] }
    return [UInt64(status.st_dev), UInt64(status.st_ino)]
}

/// A thread-safe count of failures seen on other threads.
private final class Counter: @unchecked Sendable {
    private let lock = NSLock()
    private var count = 0

    func increment() {
        lock.lock()
        count += 1
        lock.unlock()
    }

    var value: Int {
        lock.lock()
        defer { lock.unlock() }
        return count
    }
}
