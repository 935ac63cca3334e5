import GRDBSQLite

extension SQLiteSheetPolicy {
    /// The violations a sheet's words show before anything runs, in source order, each at the
    /// keyword or name that shows it.
    ///
    /// It refuses, by the policy's own rules: transaction control, savepoints, ATTACH, DETACH
    /// and pragmas (each statement by its leading keyword); writes, schema changes, indexes and
    /// triggers on `sluice_…` names wherever they stand, trigger bodies included; writes to the
    /// schema tables; and, beyond what the authorizer can see, `VACUUM INTO` and
    /// `ALTER TABLE … RENAME TO sluice_…`. The framing statements of a recognised
    /// ``SQLiteRebuildPattern`` are not refused. Functions, virtual-table modules and anything
    /// spelt less directly (a write through a trigger, a table-valued pragma) are left to the
    /// authorizer, which has the last word. A sheet that cannot be split yields no violations;
    /// the split error is reported elsewhere.
    public static func staticViolations(in sql: String) -> [SheetViolation] {
        guard let statements = try? StatementSplitter.split(sql, dialect: .sqlite) else { return [] }
        return staticViolations(in: statements, source: sql)
    }

    /// ``staticViolations(in:)`` for statements already cut from `source`.
    public static func staticViolations(in statements: [SQLStatement], source: String) -> [SheetViolation] {
        let exempt = Set(SQLiteRebuildPattern.recognise(statements)?.framing ?? [])
        let lines = LineIndex(source)
        var violations: [SheetViolation] = []
        for statement in statements where !exempt.contains(statement.index) {
            let words = SQLiteWords(statement.text)
            var found: [(offset: Int, construct: String, reason: String, hint: String)] = []
            if let (word, decision) = leadingDecision(words), case .deny(let construct, let reason, let hint) = decision {
                found.append((word.start, construct, reason, hint))
            }
            for target in words.targets() {
                let name = target.name.text
                if isReserved(name) {
                    found.append((target.name.start, target.construct, SQLitePolicyText.reservedReason, SQLitePolicyText.reservedHint))
                } else if target.isWrite, isSchemaTable(name) {
                    found.append((target.name.start, target.construct, SQLitePolicyText.schemaReason, SQLitePolicyText.schemaHint))
                }
            }
            for item in found.sorted(by: { $0.offset < $1.offset }) {
                let position = lines.position(ofByteOffset: statement.start + item.offset)
                violations.append(SheetViolation(statementIndex: statement.index, line: position.line, column: position.column,
                                                 construct: item.construct, reason: item.reason, hint: item.hint))
            }
        }
        return violations
    }

    /// The decision for what a statement's leading keyword makes it, with that keyword; nil
    /// for statements the leading keyword says nothing about.
    static func leadingDecision(_ words: SQLiteWords) -> (SQLiteWords.Word, Decision)? {
        let index = words.firstCommandIndex
        guard let word = words[index], let keyword = word.keyword else { return nil }
        let keywords = Set(words.words.compactMap(\.keyword))
        func decide(_ action: Int32, _ first: String? = nil, _ second: String? = nil, _ database: String? = nil) -> (SQLiteWords.Word, Decision) {
            (word, SQLiteSheetPolicy.decide(action: action, first: first, second: second, database: database, trigger: nil))
        }
        switch keyword {
        case "BEGIN": return decide(SQLITE_TRANSACTION, "BEGIN")
        case "COMMIT", "END": return decide(SQLITE_TRANSACTION, "COMMIT")
        case "ROLLBACK": return keywords.contains("TO") ? decide(SQLITE_SAVEPOINT, "ROLLBACK") : decide(SQLITE_TRANSACTION, "ROLLBACK")
        case "SAVEPOINT": return decide(SQLITE_SAVEPOINT, "BEGIN")
        case "RELEASE": return decide(SQLITE_SAVEPOINT, "RELEASE")
        case "ATTACH": return decide(SQLITE_ATTACH)
        case "DETACH": return decide(SQLITE_DETACH)
        case "VACUUM":
            guard keywords.contains("INTO") else { return nil }
            return (word, .deny(construct: "VACUUM INTO", reason: SQLitePolicyText.vacuumIntoReason, hint: SQLitePolicyText.vacuumIntoHint))
        case "PRAGMA":
            guard let pragma = words.pragma(at: index + 1) else { return nil }
            return decide(SQLITE_PRAGMA, pragma.name, pragma.argument, pragma.database)
        default:
            return nil
        }
    }
}

extension SQLiteWords {
    /// A name a statement writes, defines, alters or renames, with the words that say so.
    struct Target {
        /// What the statement does to the name: "INSERT INTO sluice_x", "CREATE INDEX ON x",
        /// "ALTER TABLE … RENAME TO x".
        var construct: String
        var name: Word
        /// Whether the statement writes rows of the named table.
        var isWrite: Bool
    }

    /// Every name in the statement that stands where a statement writes rows or changes the
    /// schema, trigger bodies included.
    func targets() -> [Target] {
        var targets: [Target] = []
        func add(_ verb: String, at index: Int, write: Bool = false) -> Int? {
            guard let (word, next) = name(at: index) else { return nil }
            targets.append(Target(construct: "\(verb) \(word.text)", name: word, isWrite: write))
            return next
        }
        let vacuum = keyword(at: firstCommandIndex) == "VACUUM"
        for index in words.indices {
            switch keyword(at: index) {
            case "INTO" where !vacuum:
                _ = add("INSERT INTO", at: index + 1, write: true)
            case "UPDATE":
                _ = add("UPDATE", at: keyword(at: index + 1) == "OR" ? index + 3 : index + 1, write: true)
            case "DELETE" where keyword(at: index + 1) == "FROM":
                _ = add("DELETE FROM", at: index + 2, write: true)
            case "DROP":
                guard let kind = keyword(at: index + 1), ["TABLE", "VIEW", "INDEX", "TRIGGER"].contains(kind) else { continue }
                _ = add("DROP \(kind)", at: skip(["IF", "EXISTS"], at: index + 2))
            case "ALTER" where keyword(at: index + 1) == "TABLE":
                guard let next = add("ALTER TABLE", at: index + 2) else { continue }
                if keyword(at: next) == "RENAME", keyword(at: next + 1) == "TO" {
                    _ = add("ALTER TABLE … RENAME TO", at: next + 2)
                }
            case "CREATE":
                createTargets(at: index, add: add)
            default:
                continue
            }
        }
        return targets
    }

    /// The names of a CREATE statement: the new object's, and the table of an index or trigger.
    private func createTargets(at index: Int, add: (String, Int, Bool) -> Int?) {
        var cursor = index + 1
        var verb = "CREATE"
        if let temp = keyword(at: cursor), temp == "TEMP" || temp == "TEMPORARY" {
            verb += " TEMP"
            cursor += 1
        }
        for modifier in ["UNIQUE", "VIRTUAL"] where keyword(at: cursor) == modifier {
            if modifier == "VIRTUAL" { verb += " VIRTUAL" }
            cursor += 1
        }
        guard let kind = keyword(at: cursor), ["TABLE", "VIEW", "INDEX", "TRIGGER"].contains(kind) else { return }
        verb += " \(kind)"
        guard let next = add(verb, skip(["IF", "NOT", "EXISTS"], at: cursor + 1), false),
              kind == "INDEX" || kind == "TRIGGER" else { return }
        // The table follows the first ON: an index's right away, a trigger's after its event.
        var on = next
        while on < count, keyword(at: on) != "ON", self[on]?.text != ";" { on += 1 }
        if keyword(at: on) == "ON" { _ = add("\(verb) ON", on + 1, false) }
    }

    /// The parts of `PRAGMA [schema.]name [= value | (value)]` from the word after PRAGMA: the
    /// argument as SQLite reports it (unquoted, a sign kept with its number).
    func pragma(at index: Int) -> (name: String, argument: String?, database: String?)? {
        guard let (word, next) = name(at: index) else { return nil }
        let database = next == index + 3 ? self[index]?.text : nil
        var argument: String?
        if self[next]?.text == "=" || self[next]?.text == "(" {
            var parts: [String] = []
            var cursor = next + 1
            while let word = self[cursor], word.text != ")" || word.kind != .punctuation, word.text != ";" || word.kind != .punctuation {
                parts.append(word.text)
                cursor += 1
            }
            argument = parts.joined()
        }
        return (word.text, argument, database)
    }
}
