/// A bare word of a statement: a keyword or unquoted name, upper-cased, with its byte offset
/// and its depth inside parentheses.
public struct StatementWord: Sendable, Hashable {
    public var word: String
    public var offset: Int
    public var depth: Int
}

/// The bare words of a statement, skipping strings, quoted identifiers and comments: enough for
/// rules that look for a keyword where no parse tree is at hand (SQLite).
enum WordScanner {
    static func words(_ text: String, dialect: SQLDialect) -> [StatementWord] {
        var result: [StatementWord] = []
        let utf8 = Array(text.utf8)
        var tokenizer = SQLiteTokenizer(utf8: utf8)
        var depth = 0
        while let token = try? tokenizer.next() {
            guard token.kind == .other, let first = utf8[token.start..<token.end].first else { continue }
            if first == UInt8(ascii: "(") { depth += 1; continue }
            if first == UInt8(ascii: ")") { depth = max(0, depth - 1); continue }
            guard SQLiteTokenizer.isIdentifierByte(first), !(first >= 0x30 && first <= 0x39) else { continue }
            result.append(StatementWord(word: String(decoding: utf8[token.start..<token.end], as: UTF8.self).uppercased(),
                                        offset: token.start, depth: depth))
        }
        return result
    }
}
