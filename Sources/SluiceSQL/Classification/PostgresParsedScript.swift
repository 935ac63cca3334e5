import Dispatch
import Foundation
import Synchronization

/// Splits and classifies a PostgreSQL script in one go, with PostgreSQL's parser itself.
///
/// The parser already knows where each statement ends (`RawStmt` locations) and what it is, so
/// one raw parse (see ``PgRawTree``) does the work of the scanner-based split and a parse per
/// statement, at about the cost of the scan alone. Long scripts are cut into chunks parsed on
/// every core. A cut is made after a `;` at the end of a line, and it only stands if the chunk
/// before it parses and its last statement was ended by a `;`: a cut inside a string, dollar
/// quote, comment, parenthesis or `BEGIN ATOMIC` body makes the chunk fail to parse, and the
/// chunk is then parsed again joined with the next one.
///
/// Anything unusual sends the whole script down the scanner path instead, which says exactly
/// what is wrong: a statement PostgreSQL cannot parse, a psql meta-command, `COPY … FROM STDIN`
/// rows. A statement whose tree holds a node type without a proved layout is classified from
/// JSON on its own.
enum PostgresParsedScript {
    /// The statements of `sql`, or nil when the script needs the scanner path.
    static func split(_ sql: String) -> [SQLStatement]? {
        run(sql, chunkSize: defaultChunkSize, cutAtAnyLineEnd: false, classify: false)?.map(\.statement)
    }

    /// The classified statements of `sql`, or nil when the script needs the scanner path.
    ///
    /// `chunkSize` and `cutAtAnyLineEnd` are for tests, which cut small chunks at every `;` that
    /// ends a line (inside bodies and strings too) to show that failed cuts change nothing.
    static func splitAndClassify(
        _ sql: String, chunkSize: Int = defaultChunkSize, cutAtAnyLineEnd: Bool = false
    ) -> [ClassifiedStatement]? {
        run(sql, chunkSize: chunkSize, cutAtAnyLineEnd: cutAtAnyLineEnd, classify: true)?.map { statement, kind in
            guard let kind else { return PostgresClassifier.classify(statement) }
            return ClassifiedStatement(
                statement: statement, type: kind.type, category: StatementTypes.category(of: kind.type),
                tables: kind.tables, transactional: kind.transactional)
        }
    }

    static let defaultChunkSize = 256 * 1024

    private static func run(
        _ sql: String, chunkSize: Int, cutAtAnyLineEnd: Bool, classify: Bool
    ) -> [(statement: SQLStatement, kind: Kind?)]? {
        var collector = StatementCollector(source: sql)
        let utf8 = collector.utf8
        guard !utf8.contains(0) else { return nil }
        let chunks = cuts(utf8, from: collector.scriptStart, chunkSize: chunkSize, anyLineEnd: cutAtAnyLineEnd)
        let parsed = parseChunks(utf8, chunks, classify: classify)
        // Join chunks whose cut did not stand, in order.
        var items: [Item] = []
        var index = 0
        while index < chunks.count {
            var result = parsed[index]
            var end = index
            while !(result?.isComplete(last: end == chunks.count - 1) ?? false) {
                end += 1
                // A script that does not parse gives up after a bounded amount of parsing.
                guard end < chunks.count, chunks[end].upperBound - chunks[index].lowerBound <= max(4 * chunkSize, 1 << 20) else {
                    return nil
                }
                result = parse(utf8, chunks[index].lowerBound..<chunks[end].upperBound, classify: classify)
            }
            if result!.hasCopyFromStdin { return nil }
            items += result!.items
            index = end + 1
        }
        var statements: [(statement: SQLStatement, kind: Kind?)] = []
        statements.reserveCapacity(items.count)
        for (position, item) in items.enumerated() {
            var end = item.end
            if end == nil {
                // The script's last statement has no `;`: its end is its last token's, which the
                // scanner path finds (it takes a text, such as this one, that the parser path cannot).
                guard position == items.count - 1,
                      let tail = try? StatementSplitter.scannerSplit(String(decoding: utf8[item.start...], as: UTF8.self), dialect: .postgres),
                      tail.count == 1 else { return nil }
                end = item.start + tail[0].end
            }
            collector.append(start: item.start, end: end!)
            statements.append((collector.statements[collector.statements.count - 1], item.kind))
        }
        return statements
    }

    typealias Kind = (type: String, tables: [String], transactional: Bool)

    /// One statement found by the parser: where it lies and what it is.
    struct Item {
        var start: Int
        /// One past its `;`; nil for a last statement without one.
        var end: Int?
        /// Nil when not classifying, or when the statement's tree holds a node type without a
        /// proved layout.
        var kind: Kind?
    }

    struct ChunkResult {
        var items: [Item]
        var hasCopyFromStdin: Bool

        /// Whether the chunk ended between statements (a chunk that ends the script may end mid-statement).
        func isComplete(last: Bool) -> Bool { last || items.last.map { $0.end != nil } ?? true }
    }

    /// Chunk boundaries: about every `chunkSize` bytes, just after a `;` that ends a line and is
    /// followed by a line that starts like a statement or a comment, at its first column. A cut
    /// inside a function body fails and costs a parse, so the words that start lines inside
    /// bodies (`BEGIN`, `END`, `RETURN`, `IF`, …) are not taken as starts; bodies are mostly
    /// indented anyway.
    static func cuts(_ utf8: [UInt8], from start: Int, chunkSize: Int, anyLineEnd: Bool = false) -> [Range<Int>] {
        var chunks: [Range<Int>] = []
        var chunkStart = start
        while utf8.count - chunkStart > chunkSize + chunkSize / 2 {
            var cut = chunkStart + chunkSize
            while cut < utf8.count - 1, !(anyLineEnd ? utf8[cut] == UInt8(ascii: ";") && utf8[cut + 1] == 0x0A : isCut(utf8, at: cut)) {
                cut += 1
            }
            guard cut < utf8.count - 1 else { break }
            chunks.append(chunkStart..<(cut + 2))
            chunkStart = cut + 2
        }
        if chunkStart < utf8.count || chunks.isEmpty { chunks.append(chunkStart..<utf8.count) }
        return chunks
    }

    /// Words that start statements in migrations, and seldom a line inside a function body.
    private static let statementStarts: [[UInt8]] = [
        "ALTER", "ANALYZE", "CALL", "CLUSTER", "COMMENT", "COPY", "CREATE", "DELETE", "DO", "DROP", "GRANT",
        "INSERT", "LOCK", "MERGE", "REFRESH", "REINDEX", "RESET", "REVOKE", "SELECT", "SET", "TRUNCATE",
        "UPDATE", "VACUUM", "WITH",
    ].map { Array($0.utf8) }

    /// Whether `utf8[at]` is a `;` ending a line that a statement or comment follows.
    static func isCut(_ utf8: [UInt8], at: Int) -> Bool {
        guard utf8[at] == UInt8(ascii: ";"), utf8[at + 1] == UInt8(ascii: "\n") else { return false }
        let line = at + 2
        guard line + 1 < utf8.count else { return false }
        if utf8[line] == UInt8(ascii: "-") && utf8[line + 1] == UInt8(ascii: "-") { return true }
        if utf8[line] == UInt8(ascii: "/") && utf8[line + 1] == UInt8(ascii: "*") { return true }
        return statementStarts.contains { word in
            guard line + word.count < utf8.count else { return false }
            for (offset, letter) in word.enumerated() where utf8[line + offset] & 0xDF != letter { return false }
            let after = utf8[line + word.count]
            return after == 0x20 || after == 0x09 || after == 0x0A || after == 0x0D || after == UInt8(ascii: "(")
        }
    }

    /// Every chunk parsed, on every core when there are several; nil for a chunk that failed.
    private static func parseChunks(_ utf8: [UInt8], _ chunks: [Range<Int>], classify: Bool) -> [ChunkResult?] {
        let workers = min(ProcessInfo.processInfo.activeProcessorCount, chunks.count)
        guard workers > 1 else { return chunks.map { parse(utf8, $0, classify: classify) } }
        let next = Atomic<Int>(0)
        let results = Mutex<[ChunkResult?]>(Array(repeating: nil, count: chunks.count))
        DispatchQueue.concurrentPerform(iterations: workers) { _ in
            while true {
                let index = next.wrappingAdd(1, ordering: .relaxed).oldValue
                guard index < chunks.count else { return }
                let result = parse(utf8, chunks[index], classify: classify)
                results.withLock { $0[index] = result }
            }
        }
        return results.withLock { $0 }
    }

    /// One chunk parsed; nil if PostgreSQL cannot parse it.
    static func parse(_ utf8: [UInt8], _ range: Range<Int>, classify: Bool) -> ChunkResult? {
        var text = Array(utf8[range])
        text.append(0)
        let outcome = text.withUnsafeBufferPointer { buffer in
            PgRawTree.parse(UnsafeRawPointer(buffer.baseAddress!).assumingMemoryBound(to: CChar.self)) { statements, reader in
                var copyFromStdin = false
                let items = statements.map { statement -> Item in
                    let start = firstToken(utf8, from: range.lowerBound + statement.location)
                    let end = statement.length > 0 ? range.lowerBound + statement.location + statement.length + 1 : nil
                    let node = PgRawValue(node: statement.node)
                    // psql sends the rows after COPY … FROM STDIN itself: the scanner path refuses them.
                    if node?.tag == "CopyStmt", node?["is_from"]?.bool == true, node?["filename"] == nil { copyFromStdin = true }
                    guard classify, let node, let found = reader.relations(of: statement.node) else {
                        return Item(start: start, end: end, kind: nil)
                    }
                    return Item(start: start, end: end, kind: (
                        PostgresClassifier.statementType(node),
                        PostgresClassifier.tables(node, relations: found.relations, ctes: found.ctes),
                        PostgresClassifier.isTransactional(node)))
                }
                return ChunkResult(items: items, hasCopyFromStdin: copyFromStdin)
            }
        }
        return try? outcome.get()
    }

    /// The first byte at or after `offset` that is not whitespace or part of a comment: where
    /// the statement that the parser says starts at `offset` (just past the previous `;`) has
    /// its first token.
    static func firstToken(_ utf8: [UInt8], from offset: Int) -> Int {
        var at = offset
        let count = utf8.count
        while at < count {
            switch utf8[at] {
            case 0x20, 0x09, 0x0A, 0x0D, 0x0C, 0x0B:
                at += 1
            case UInt8(ascii: "-") where at + 1 < count && utf8[at + 1] == UInt8(ascii: "-"):
                while at < count, utf8[at] != 0x0A, utf8[at] != 0x0D { at += 1 }
            case UInt8(ascii: "/") where at + 1 < count && utf8[at + 1] == UInt8(ascii: "*"):
                var depth = 0
                repeat {
                    if utf8[at] == UInt8(ascii: "/"), at + 1 < count, utf8[at + 1] == UInt8(ascii: "*") {
                        depth += 1; at += 2
                    } else if utf8[at] == UInt8(ascii: "*"), at + 1 < count, utf8[at + 1] == UInt8(ascii: "/") {
                        depth -= 1; at += 2
                    } else {
                        at += 1
                    }
                } while depth > 0 && at < count
            default:
                return at
            }
        }
        return at
    }
}
