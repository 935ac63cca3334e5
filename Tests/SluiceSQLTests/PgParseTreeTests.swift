import CPgQuery
import Dispatch
import Foundation
import Synchronization
import Testing
@testable import SluiceSQL

/// The indexed JSON reader against Foundation's, and libpg_query used from several threads.
@Suite struct PgParseTreeTests {
    /// Statements whose trees hold every kind of JSON value, escapes included.
    static var statements: [String] {
        let fixtures = Script.postgres.flatMap { script in
            (try? StatementSplitter.split(script.text, dialect: .postgres).map(\.text)) ?? []
        }
        return fixtures + [
            "SELECT E'tab\\there, quote \\\" and \\\\ backslash, bell \\x07, nul-ish \\x01', 'ü€😀', -1.5e3, true, NULL;",
            "CREATE TABLE \"Größe\" (\"a\"\"b\" text DEFAULT $$x\ny$$, n numeric(10, -2));",
        ]
    }

    @Test(arguments: statements)
    func indexedTreesReadLikeFoundationsJSON(_ sql: String) throws {
        let json = try #require(Self.json(sql))
        let expected = try JSONSerialization.jsonObject(with: Data(json.utf8))
        let document = try PgJSONDocument(Array(json.utf8))
        Self.expectSame(PgNode(document, 0), expected, path: "$")
    }

    @Test func malformedJSONIsRefusedNotTrapped() {
        for text in ["", "{", "{\"a\":1", "[1,2}", "\"abc", "{\"a\":tru}x", "}"] {
            #expect(throws: PgJSONDocument.Malformed.self, "\(text)") { try PgJSONDocument(Array(text.utf8)) }
        }
    }

    /// libpg_query keeps its state per thread and (in this build) never touches stderr's file
    /// descriptor, so classification may run on every core: parses and scans from many threads
    /// at once agree with the same calls made one at a time, and stderr is left where it was.
    @Test func libpgQueryMayBeCalledFromManyThreadsAtOnce() throws {
        let statements = Self.statements + ["SELECT 1 +;", "SELECT 'unterminated", "CREATE TABLE (x int);"]
        let serial = statements.map(Self.fingerprint)
        let stderrBefore = Self.stderrIdentity()
        let results = Mutex([[String]](repeating: [], count: 8))
        DispatchQueue.concurrentPerform(iterations: 8) { worker in
            var mine: [String] = []
            for _ in 0..<20 { mine = statements.map(Self.fingerprint) }
            results.withLock { $0[worker] = mine }
        }
        results.withLock { all in
            for worker in all { #expect(worker == serial) }
        }
        #expect(Self.stderrIdentity() == stderrBefore)
    }

    @Test func classifyingOnManyCoresGivesWhatOneCoreGives() throws {
        let sql = String(repeating: Script.postgresAccounts.text + "\n" + Script.postgresRoutines.text + "\n", count: 40)
        let statements = try StatementSplitter.split(sql, dialect: .postgres)
        #expect(statements.count > 256)
        let parallel = SQLClassifier.classify(statements, dialect: .postgres)
        #expect(parallel == statements.map { PostgresClassifier.classify($0) })
    }

    // MARK: Helpers

    static func json(_ sql: String) -> String? {
        let result = pg_query_parse(sql)
        defer { pg_query_free_parse_result(result) }
        return result.error == nil ? result.parse_tree.map { String(cString: $0) } : nil
    }

    /// A parse (JSON or error) and a scan (token count or error) of `sql`, as text.
    static func fingerprint(_ sql: String) -> String {
        let parse = pg_query_parse(sql)
        defer { pg_query_free_parse_result(parse) }
        let scan = pg_query_scan(sql)
        defer { pg_query_free_scan_result(scan) }
        let parsed = parse.error.map { "error \(String(cString: $0.pointee.message)) at \($0.pointee.cursorpos)" }
            ?? parse.parse_tree.map { String(cString: $0) } ?? ""
        let scanned = scan.error.map { "error \(String(cString: $0.pointee.message))" } ?? "\(scan.pbuf.len) bytes"
        return parsed + " | " + scanned
    }

    static func stderrIdentity() -> [UInt64] {
        var status = stat()
        fstat(2, &status)
        return [UInt64(status.st_dev), UInt64(status.st_ino), UInt64(status.st_mode)]
    }

    static func expectSame(_ node: PgNode, _ expected: Any, path: String) {
        switch expected {
        case let object as [String: Any]:
            #expect(node.document.kind(node.index) == .object, "\(path)")
            var keys: [String] = []
            node.document.forEachMember(of: node.index) { key in
                keys.append(node.document.string(key))
                if let value = object[node.document.string(key)] {
                    expectSame(PgNode(node.document, key + 1), value, path: path + "." + node.document.string(key))
                }
                return true
            }
            #expect(keys.sorted() == object.keys.sorted(), "\(path)")
        case let array as [Any]:
            let items = node.list
            #expect(items.count == array.count, "\(path)")
            for (index, (item, value)) in zip(items, array).enumerated() { expectSame(item, value, path: "\(path)[\(index)]") }
        case let string as String:
            #expect(node.stringValue == string, "\(path)")
        case let number as NSNumber:
            // Foundation reads true and false as numbers too.
            switch node.document.kind(node.index) {
            case .true, .false: #expect(node.bool == number.boolValue, "\(path)")
            default: #expect(node.int == number.intValue, "\(path)")
            }
        default:
            #expect(node.document.kind(node.index) == .null, "\(path)")
        }
    }
}
