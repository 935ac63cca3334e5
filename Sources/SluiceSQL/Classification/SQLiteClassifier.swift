import GRDBSQLite

/// Classifies SQLite statements by preparing each against an in-memory copy of the schema and
/// listening to SQLite's authorizer callback, which reports every action and table the
/// statement involves. Schema changes are applied to the copy as they come, so a table created
/// early in the sheet is known to the statements after it.
///
/// A table the schema lacks (the stand-alone `sluice sql classify` starts from an empty one) is
/// stood in for by a placeholder table grown column by column as SQLite asks for them, so the
/// statement still prepares and SQLite still has the last word on what it does.
final class SQLiteClassifier {
    private var handle: OpaquePointer?
    private var schemaNote: String?
    /// Placeholder tables created for names the schema lacks (lower-cased).
    private var placeholders = Set<String>()

    init(schema: String?) {
        guard sqlite3_open_v2(":memory:", &handle, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nil) == SQLITE_OK else {
            schemaNote = "an in-memory SQLite database could not be opened"
            return
        }
        if let schema, !schema.isEmpty, sqlite3_exec(handle, schema, nil, nil, nil) != SQLITE_OK {
            schemaNote = "the target's schema could not be loaded: \(lastMessage)"
        }
    }

    deinit { sqlite3_close_v2(handle) }

    func classify(_ statements: [SQLStatement]) -> [ClassifiedStatement] {
        statements.map(classify)
    }

    private var lastMessage: String { handle.map { String(cString: sqlite3_errmsg($0)) } ?? "no database" }

    private func classify(_ statement: SQLStatement) -> ClassifiedStatement {
        guard let handle else { return KeywordClassifier.classify(statement, note: schemaNote) }
        let leading = KeywordClassifier.leadingWords(statement.text, count: 1).first
        let recorder = AuthorizerRecorder()
        var notes: [String] = schemaNote.map { [$0] } ?? []
        var prepared: OpaquePointer?
        var attempts = 0
        while true {
            recorder.reset()
            let context = Unmanaged.passUnretained(recorder).toOpaque()
            sqlite3_set_authorizer(handle, authorizerCallback, context)
            let rc = sqlite3_prepare_v2(handle, statement.text, -1, &prepared, nil)
            sqlite3_set_authorizer(handle, nil, nil)
            if rc == SQLITE_OK { break }
            let message = lastMessage
            attempts += 1
            guard attempts < 64, repairSchema(after: message, statement: statement.text) else {
                notes.append("SQLite cannot prepare this statement: \(message)")
                return KeywordClassifier.classify(statement, note: notes.joined(separator: "; "))
            }
        }
        defer { sqlite3_finalize(prepared) }
        let missing = recorder.tables.filter { placeholders.contains($0.lowercased()) }
        if !missing.isEmpty {
            notes.append("not in the schema: \(missing.joined(separator: ", "))")
        }
        var type = recorder.statementType ?? KeywordClassifier.statementType(KeywordClassifier.leadingWords(statement.text, count: 6))
        if leading == "EXPLAIN" { type = "EXPLAIN" }
        let category = StatementTypes.category(of: type)
        if category == .ddl, leading != "EXPLAIN", let prepared {
            applyToCopy(prepared, statement: statement.text)
        }
        let transactional = !["VACUUM", "BEGIN", "COMMIT", "ROLLBACK", "ATTACH", "DETACH"].contains(type)
        return ClassifiedStatement(statement: statement, type: type, category: category, tables: recorder.tables,
                                   transactional: transactional, note: notes.isEmpty ? nil : notes.joined(separator: "; "))
    }

    /// Runs a schema change on the copy so later statements see it.
    private func applyToCopy(_ prepared: OpaquePointer, statement: String) {
        var rc = sqlite3_step(prepared)
        while rc == SQLITE_ROW { rc = sqlite3_step(prepared) }
    }

    /// Makes the copy able to prepare a statement that failed with `message`: a placeholder
    /// for a missing table, a column added to a placeholder, or a placeholder dropped so the
    /// sheet can create the real table. False when the message is about something else.
    private func repairSchema(after message: String, statement: String) -> Bool {
        if let name = suffix(of: message, after: "no such table: ") {
            let table = name.hasPrefix("main.") ? String(name.dropFirst(5)) : name
            guard !placeholders.contains(table.lowercased()) else { return false }
            placeholders.insert(table.lowercased())
            return exec("CREATE TABLE \(quoted(table)) (rowid_placeholder)")
        }
        if let name = suffix(of: message, after: "no such column: ") {
            let parts = name.split(separator: ".", maxSplits: 1).map(String.init)
            let column = parts.last ?? name
            let candidates = parts.count == 2 ? [parts[0]] : Array(placeholders)
            for table in candidates where placeholders.contains(table.lowercased()) {
                if exec("ALTER TABLE \(quoted(table)) ADD COLUMN \(quoted(column))") { return true }
            }
            return false
        }
        if message.hasPrefix("table "), message.hasSuffix(" already exists") {
            let name = String(message.dropFirst(6).dropLast(15)).trimmingCharacters(in: ["\""])
            guard placeholders.remove(name.lowercased()) != nil else { return false }
            return exec("DROP TABLE \(quoted(name))")
        }
        if let name = suffix(of: message, after: "table ").flatMap({ s in s.range(of: " has no column named ").map { (String(s[..<$0.lowerBound]), String(s[$0.upperBound...])) } }) {
            guard placeholders.contains(name.0.lowercased()) else { return false }
            return exec("ALTER TABLE \(quoted(name.0)) ADD COLUMN \(quoted(name.1))")
        }
        return false
    }

    private func suffix(of message: String, after prefix: String) -> String? {
        message.hasPrefix(prefix) ? String(message.dropFirst(prefix.count)) : nil
    }

    private func exec(_ sql: String) -> Bool {
        sqlite3_exec(handle, sql, nil, nil, nil) == SQLITE_OK
    }

    private func quoted(_ name: String) -> String {
        "\"" + name.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}

/// What the authorizer saw while one statement was prepared.
private final class AuthorizerRecorder {
    private(set) var tables: [String] = []
    private var primary: (rank: Int, type: String)?

    func reset() {
        tables = []
        primary = nil
    }

    var statementType: String? { primary?.type }

    func record(action: Int32, first: String?, second: String?, fromTrigger: Bool) {
        // Actions of triggers and views fire on their own behalf, not the statement's.
        guard !fromTrigger else { return }
        let (type, table, rank) = Self.describe(action: action, first: first, second: second)
        if let table, !table.lowercased().hasPrefix("sqlite_"), !tables.contains(where: { $0.caseInsensitiveCompare(table) == .orderedSame }) {
            tables.append(table)
        }
        if let type, !(table?.lowercased().hasPrefix("sqlite_") ?? false), rank > (primary?.rank ?? -1) {
            primary = (rank, type)
        }
    }

    /// The statement type an action implies, the table it names, and how strongly it defines
    /// the statement (a schema change outranks the writes and reads it entails).
    private static func describe(action: Int32, first: String?, second: String?) -> (String?, String?, Int) {
        switch action {
        case SQLITE_CREATE_TABLE, SQLITE_CREATE_TEMP_TABLE: return ("CREATE_TABLE", first, 4)
        case SQLITE_CREATE_INDEX, SQLITE_CREATE_TEMP_INDEX: return ("CREATE_INDEX", second, 4)
        case SQLITE_CREATE_TRIGGER, SQLITE_CREATE_TEMP_TRIGGER: return ("CREATE_TRIGGER", second, 4)
        case SQLITE_CREATE_VIEW, SQLITE_CREATE_TEMP_VIEW: return ("CREATE_VIEW", first, 4)
        case SQLITE_CREATE_VTABLE: return ("CREATE_VIRTUAL_TABLE", first, 4)
        case SQLITE_DROP_TABLE, SQLITE_DROP_TEMP_TABLE: return ("DROP_TABLE", first, 4)
        case SQLITE_DROP_INDEX, SQLITE_DROP_TEMP_INDEX: return ("DROP_INDEX", second, 4)
        case SQLITE_DROP_TRIGGER, SQLITE_DROP_TEMP_TRIGGER: return ("DROP_TRIGGER", second, 4)
        case SQLITE_DROP_VIEW, SQLITE_DROP_TEMP_VIEW: return ("DROP_VIEW", first, 4)
        case SQLITE_DROP_VTABLE: return ("DROP_TABLE", first, 4)
        case SQLITE_ALTER_TABLE: return ("ALTER_TABLE", second, 4)
        case SQLITE_INSERT: return ("INSERT", first, 3)
        case SQLITE_UPDATE: return ("UPDATE", first, 2)
        case SQLITE_DELETE: return ("DELETE", first, 3)
        case SQLITE_TRANSACTION: return (transactionType(first), nil, 1)
        case SQLITE_SAVEPOINT: return (first?.uppercased() == "BEGIN" ? "SAVEPOINT" : (first?.uppercased() ?? "SAVEPOINT"), nil, 1)
        case SQLITE_PRAGMA: return ("PRAGMA", nil, 1)
        case SQLITE_ATTACH: return ("ATTACH", nil, 1)
        case SQLITE_DETACH: return ("DETACH", nil, 1)
        case SQLITE_REINDEX: return ("REINDEX", nil, 1)
        case SQLITE_ANALYZE: return ("ANALYZE", first, 1)
        case SQLITE_SELECT: return ("SELECT", nil, 0)
        case SQLITE_READ: return (nil, first, -1)
        default: return (nil, nil, -1)
        }
    }

    private static func transactionType(_ operation: String?) -> String {
        switch operation?.uppercased() {
        case "BEGIN": return "BEGIN"
        case "COMMIT": return "COMMIT"
        case "ROLLBACK": return "ROLLBACK"
        default: return "TRANSACTION"
        }
    }
}

private func authorizerCallback(
    _ context: UnsafeMutableRawPointer?, _ action: Int32, _ first: UnsafePointer<CChar>?, _ second: UnsafePointer<CChar>?,
    _ database: UnsafePointer<CChar>?, _ trigger: UnsafePointer<CChar>?
) -> Int32 {
    guard let context else { return SQLITE_OK }
    let recorder = Unmanaged<AuthorizerRecorder>.fromOpaque(context).takeUnretainedValue()
    recorder.record(action: action, first: first.map { String(cString: $0) }, second: second.map { String(cString: $0) },
                    fromTrigger: trigger != nil)
    return SQLITE_OK
}
