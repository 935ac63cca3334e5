/// A sheet written as SQLite's table rebuild with foreign keys off, which Sluice frames itself.
///
/// SQLite cannot turn foreign keys on or off inside a transaction, and Sluice runs every task in
/// one transaction of its own, so the framing statements of the procedure cannot run as
/// written. A sheet of this form, and only this form, is recognised:
///
/// ```sql
/// PRAGMA foreign_keys = OFF;            -- first statement; also 0, false, no; main. allowed
/// BEGIN [DEFERRED|IMMEDIATE|EXCLUSIVE] [TRANSACTION];   -- optional, with the COMMIT below
/// …the rebuild: CREATE TABLE new_x …; INSERT INTO new_x SELECT … FROM x; DROP TABLE x;
///   ALTER TABLE new_x RENAME TO x; CREATE INDEX …; …
/// PRAGMA foreign_key_check[(table)];    -- optional; may also follow the COMMIT
/// COMMIT [TRANSACTION];                 -- or END; present exactly when the BEGIN is
/// PRAGMA foreign_keys = ON;             -- last statement; also 1, true, yes
/// ```
///
/// The pragmas may be written `= value` or `(value)`, the value bare or quoted, in any case.
/// The body between the framing statements must hold no transaction control, savepoint or
/// `foreign_keys` pragma of its own. Sluice turns foreign keys off before it opens the task's
/// transaction, skips the framing statements, runs the body, runs `PRAGMA foreign_key_check`
/// before its own commit and turns foreign keys back on afterwards.
public struct SQLiteRebuildPattern: Sendable, Hashable {
    /// The `index` of the statements Sluice handles itself instead of running them, in order:
    /// the two `foreign_keys` pragmas, and the BEGIN, COMMIT and `foreign_key_check` when present.
    public var framing: [Int]
    /// The `index` of the statements of the rebuild itself, in order.
    public var body: [Int]

    public init(framing: [Int], body: [Int]) {
        self.framing = framing
        self.body = body
    }

    /// The pattern `statements` follow, or nil when they do not follow it exactly.
    public static func recognise(_ statements: [SQLStatement]) -> SQLiteRebuildPattern? {
        let forms = statements.map { Form(SQLiteWords($0.text)) }
        guard forms.count >= 2, forms.first == .foreignKeys(false), forms.last == .foreignKeys(true) else { return nil }
        var head = 1
        var tail = forms.count - 2
        var framing = [0, forms.count - 1]
        // The check may stand right before the last pragma, or right before the COMMIT.
        if tail > head, forms[tail] == .foreignKeyCheck, forms[head] == .begin, forms[tail - 1] == .commit {
            framing.append(tail)
            tail -= 1
        }
        if forms[head] == .begin {
            guard tail > head, forms[tail] == .commit else { return nil }
            framing += [head, tail]
            head += 1
            tail -= 1
        }
        if tail >= head, forms[tail] == .foreignKeyCheck, !framing.contains(where: { forms[$0] == .foreignKeyCheck }) {
            framing.append(tail)
            tail -= 1
        }
        let body = head <= tail ? Array(head...tail) : []
        guard body.allSatisfy({ forms[$0] == .other || forms[$0] == .foreignKeyCheck }) else { return nil }
        return SQLiteRebuildPattern(framing: framing.sorted().map { statements[$0].index },
                                    body: body.map { statements[$0].index })
    }

    /// What a statement is, as far as the pattern cares.
    enum Form: Equatable {
        case foreignKeys(Bool)
        case begin
        case commit
        case foreignKeyCheck
        /// Transaction control, a savepoint, or a `foreign_keys` pragma the pattern cannot place.
        case control
        case other

        init(_ words: SQLiteWords) {
            // The words up to the statement's `;`.
            let count = words.words.last?.text == ";" && words.words.last?.kind == .punctuation ? words.count - 1 : words.count
            let keywords = (0..<count).map { words[$0]?.keyword }
            switch keywords.first ?? nil {
            case "BEGIN":
                let rest = Array(keywords.dropFirst())
                let modes: Set<String?> = ["DEFERRED", "IMMEDIATE", "EXCLUSIVE"]
                let afterMode = rest.first.map { modes.contains($0) } == true ? Array(rest.dropFirst()) : rest
                self = afterMode.isEmpty || afterMode == ["TRANSACTION"] ? .begin : .control
            case "COMMIT", "END":
                self = keywords.count == 1 || Array(keywords.dropFirst()) == ["TRANSACTION"] ? .commit : .control
            case "ROLLBACK", "SAVEPOINT", "RELEASE":
                self = .control
            case "PRAGMA":
                self = Self.pragma(words, count: count)
            default:
                self = .other
            }
        }

        /// `PRAGMA [main.]foreign_keys = value`, `PRAGMA [main.]foreign_keys(value)` or
        /// `PRAGMA [main.]foreign_key_check[(table)]`.
        private static func pragma(_ words: SQLiteWords, count: Int) -> Form {
            var index = 1
            if words[2]?.text == ".", words[2]?.kind == .punctuation {
                guard words[1].map({ SQLiteSheetPolicy.folded($0.text) }) == "main" else { return .other }
                index = 3
            }
            guard let name = words[index].map({ SQLiteSheetPolicy.folded($0.text) }) else { return .other }
            if name == "foreign_key_check" { return .foreignKeyCheck }
            guard name == "foreign_keys" else { return .other }
            let rest = ((index + 1)..<max(count, index + 1)).compactMap { words[$0] }
            var value: SQLiteWords.Word?
            if rest.count == 2, rest[0].text == "=", rest[0].kind == .punctuation {
                value = rest[1]
            } else if rest.count == 3, rest[0].text == "(", rest[2].text == ")" {
                value = rest[1]
            } else if rest.isEmpty {
                return .other // a read
            }
            guard let value, value.kind != .punctuation, let on = SQLiteSheetPolicy.booleanValue(value.text) else { return .control }
            return .foreignKeys(on)
        }
    }
}
