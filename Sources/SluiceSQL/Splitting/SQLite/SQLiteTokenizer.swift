/// SQLite's lexical rules, reduced to what decides where a statement can end.
///
/// It knows what `sqlite3_complete` knows: whitespace, `--` and `/* */` comments, `'…'` strings,
/// `"…"`, `` `…` `` and `[…]` identifiers (a doubled quote inside stays inside) and `;`.
/// Everything else is an opaque token. Unlike SQLite it refuses an unterminated block comment:
/// in a migration script one is always a mistake.
struct SQLiteTokenizer {
    enum Kind: Equatable {
        case whitespace
        case comment
        case semicolon
        /// Any other token: a word, a literal, a quoted identifier, an operator.
        case other
    }

    struct Token: Equatable {
        var kind: Kind
        var start: Int
        var end: Int
    }

    private let utf8: [UInt8]
    private var position: Int

    /// A tokenizer over `utf8` from byte `start` on.
    init(utf8: [UInt8], from start: Int = 0) {
        self.utf8 = utf8
        self.position = start
    }

    /// The next token, or nil at the end of the source.
    mutating func next() throws(SplitProblem) -> Token? {
        guard position < utf8.count else { return nil }
        let start = position
        let byte = utf8[position]
        let kind: Kind
        switch byte {
        case _ where Self.isSpace(byte):
            position += 1
            while position < utf8.count, Self.isSpace(utf8[position]) { position += 1 }
            kind = .whitespace
        case UInt8(ascii: "-") where peek(at: start + 1) == UInt8(ascii: "-"):
            // The newline that ends a line comment is whitespace, as in SQLite.
            position += 2
            while position < utf8.count, utf8[position] != UInt8(ascii: "\n") { position += 1 }
            kind = .comment
        case UInt8(ascii: "/") where peek(at: start + 1) == UInt8(ascii: "*"):
            // Searching from after `/*` means `/*/` does not close itself, as in SQLite.
            guard let close = firstIndex(of: UInt8(ascii: "*"), UInt8(ascii: "/"), from: start + 2) else {
                throw SplitProblem(
                    kind: .unterminatedComment,
                    message: "unterminated block comment: the /* here is never closed by */",
                    offset: start)
            }
            position = close + 2
            kind = .comment
        case UInt8(ascii: "'"), UInt8(ascii: "\""), UInt8(ascii: "`"):
            try skipQuoted(closedBy: byte, from: start)
            kind = .other
        case UInt8(ascii: "["):
            guard let close = utf8[(start + 1)...].firstIndex(of: UInt8(ascii: "]")) else {
                throw SplitProblem(
                    kind: .unterminatedQuotedIdentifier,
                    message: "unterminated quoted identifier: the [ here is never closed by ]",
                    offset: start)
            }
            position = close + 1
            kind = .other
        case UInt8(ascii: ";"):
            position += 1
            kind = .semicolon
        default:
            position += 1
            if Self.isIdentifierByte(byte) {
                while position < utf8.count, Self.isIdentifierByte(utf8[position]) { position += 1 }
            }
            kind = .other
        }
        return Token(kind: kind, start: start, end: position)
    }

    /// Moves past a quoted token; a doubled quote character is part of the token, not its end.
    private mutating func skipQuoted(closedBy quote: UInt8, from start: Int) throws(SplitProblem) {
        var index = start + 1
        while true {
            guard let close = utf8[index...].firstIndex(of: quote) else {
                if quote == UInt8(ascii: "'") {
                    throw SplitProblem(
                        kind: .unterminatedString,
                        message: "unterminated string literal: the ' here is never closed; close it with another '",
                        offset: start)
                }
                let mark = quote == UInt8(ascii: "`") ? "`" : "\""
                throw SplitProblem(
                    kind: .unterminatedQuotedIdentifier,
                    message: "unterminated quoted identifier: the \(mark) here is never closed",
                    offset: start)
            }
            if peek(at: close + 1) == quote {
                index = close + 2
            } else {
                position = close + 1
                return
            }
        }
    }

    private func peek(at index: Int) -> UInt8? {
        index < utf8.count ? utf8[index] : nil
    }

    private func firstIndex(of first: UInt8, _ second: UInt8, from start: Int) -> Int? {
        var index = start
        while index + 1 < utf8.count {
            if utf8[index] == first, utf8[index + 1] == second { return index }
            index += 1
        }
        return nil
    }

    /// SQLite's whitespace: space, tab, LF, FF and CR (a vertical tab is not whitespace to SQLite).
    static func isSpace(_ byte: UInt8) -> Bool {
        switch byte {
        case 0x20, 0x09, 0x0A, 0x0C, 0x0D: true
        default: false
        }
    }

    /// SQLite's `IdChar`: ASCII letters and digits, `_`, `$`, and every byte of a non-ASCII character.
    static func isIdentifierByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "_"), UInt8(ascii: "$"), 0x80...0xFF:
            true
        default:
            false
        }
    }
}
