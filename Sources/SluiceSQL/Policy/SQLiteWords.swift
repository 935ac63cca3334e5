import Foundation

/// The words of one SQLite statement, for the sheet policy's token-level checks: comments and
/// whitespace dropped, quoted identifiers unquoted, each word with its byte offset.
///
/// A word is a keyword or bare identifier, a quoted identifier (`"…"`, `` `…` ``, `[…]`), a
/// string literal, or a single punctuation byte. String literals keep a kind of their own, but
/// a name position accepts them too, as SQLite does (`CREATE TABLE 'x'(a)` names a table `x`).
struct SQLiteWords {
    enum Kind: Equatable {
        /// A keyword, a bare identifier or a number.
        case bare
        /// A quoted identifier, unquoted.
        case quoted
        /// A string literal, unquoted.
        case string
        /// One byte of punctuation or an operator: `(`, `.`, `=`, `-`, `;`.
        case punctuation
    }

    struct Word: Equatable {
        var kind: Kind
        /// The word as written, unquoted when it was quoted.
        var text: String
        /// The UTF-8 byte offset of the word's first byte in the statement's text.
        var start: Int

        /// The word upper-cased when bare (a keyword), else nil: quoting makes a keyword a name.
        var keyword: String? { kind == .bare ? text.uppercased() : nil }
        /// Whether the word can name an object.
        var isName: Bool { kind != .punctuation }
        /// The name lower-cased, for comparisons; SQLite folds ASCII case only, as this does.
        var folded: String { SQLiteSheetPolicy.folded(text) }
    }

    let words: [Word]

    /// The words of `text`; a text the tokenizer refuses (an unterminated quote or comment)
    /// yields the words before the fault.
    init(_ text: String) {
        let utf8 = Array(text.utf8)
        var tokenizer = SQLiteTokenizer(utf8: utf8)
        var words: [Word] = []
        while let token = try? tokenizer.next() {
            switch token.kind {
            case .whitespace, .comment:
                continue
            case .semicolon:
                words.append(Word(kind: .punctuation, text: ";", start: token.start))
            case .other:
                words.append(Self.word(utf8[token.start..<token.end], start: token.start))
            }
        }
        self.words = words
    }

    private static func word(_ bytes: ArraySlice<UInt8>, start: Int) -> Word {
        guard let first = bytes.first else { return Word(kind: .punctuation, text: "", start: start) }
        switch first {
        case UInt8(ascii: "'"), UInt8(ascii: "\""), UInt8(ascii: "`"):
            let inner = bytes.dropFirst().dropLast()
            let text = String(decoding: inner, as: UTF8.self)
            let quote = String(UnicodeScalar(first))
            let unquoted = text.replacingOccurrences(of: quote + quote, with: quote)
            return Word(kind: first == UInt8(ascii: "'") ? .string : .quoted, text: unquoted, start: start)
        case UInt8(ascii: "["):
            return Word(kind: .quoted, text: String(decoding: bytes.dropFirst().dropLast(), as: UTF8.self), start: start)
        default:
            let text = String(decoding: bytes, as: UTF8.self)
            return Word(kind: SQLiteTokenizer.isIdentifierByte(first) ? .bare : .punctuation, text: text, start: start)
        }
    }

    var count: Int { words.count }
    subscript(index: Int) -> Word? { words.indices.contains(index) ? words[index] : nil }

    /// The keyword at `index`, or nil when there is none or it is not a bare word.
    func keyword(at index: Int) -> String? { self[index]?.keyword }

    /// The index of the first word after a leading `EXPLAIN` or `EXPLAIN QUERY PLAN`.
    var firstCommandIndex: Int {
        guard keyword(at: 0) == "EXPLAIN" else { return 0 }
        return keyword(at: 1) == "QUERY" && keyword(at: 2) == "PLAN" ? 3 : 1
    }

    /// The object name starting at `index`, schema-qualified or not: the name's word and the
    /// index just past it, or nil when no name stands there.
    func name(at index: Int) -> (word: Word, next: Int)? {
        guard let word = self[index], word.isName else { return nil }
        if self[index + 1]?.text == ".", self[index + 1]?.kind == .punctuation, let qualified = self[index + 2], qualified.isName {
            return (qualified, index + 3)
        }
        return (word, index + 1)
    }

    /// The index past the keywords in `sequence`, in order, starting at `index` (each optional
    /// run is tried as a whole): `skip(["IF", "NOT", "EXISTS"], at: i)`.
    func skip(_ sequence: [String], at index: Int) -> Int {
        for (offset, word) in sequence.enumerated() where keyword(at: index + offset) != word {
            return index
        }
        return index + sequence.count
    }
}
