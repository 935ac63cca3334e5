import GRDBSQLite

/// What a sheet may do to a SQLite target, decided action by action from what SQLite's
/// authorizer reports while a statement is prepared (and, for nested statements SQLite runs on a
/// statement's behalf, while it steps). Actions of trigger bodies are reported with the
/// trigger's name and obey the same rules, so a trigger cannot do what its sheet may not.
///
/// Allowed: reads of any table but the few in `deniedTables`; inserts, updates and deletes
/// on application tables, `sqlite_sequence` and `sqlite_stat*`; CREATE, ALTER and DROP of
/// tables, indexes, views and triggers whose names (and whose table's name) do not start with
/// `sluice_`; full-text-search and R-tree virtual tables; ANALYZE, REINDEX, recursive CTEs;
/// the pragmas of `readablePragmas`, `introspectionPragmas` and `writablePragmas`.
///
/// Denied: transaction control and savepoints; ATTACH and DETACH; every other pragma; any
/// write, schema change or trigger on an object named `sluice_…`; writes to the schema tables
/// from a trigger body; the functions of `deniedFunctions`; the tables of `deniedTables`;
/// other virtual-table modules; and any action this policy does not know.
///
/// SQLite reports the writes it makes to `sqlite_master` for CREATE, ALTER and DROP as the
/// statement's own, exactly as it would report a direct write, so the authorizer lets top-level
/// writes to the schema tables through: SQLite refuses them itself unless `writable_schema` is
/// on, which is denied, and ``staticViolations(in:)`` refuses them by their words. The same
/// pass catches what the authorizer never sees: `VACUUM INTO`, and `ALTER TABLE … RENAME TO`
/// a `sluice_` name (the authorizer reports the old name only).
public enum SQLiteSheetPolicy {
    /// The policy's answer to one authorizer call.
    public enum Decision: Sendable, Hashable {
        case allow
        /// Refused: what was refused in a few words, why, and what to write instead.
        case deny(construct: String, reason: String, hint: String)
    }

    /// The decision for one authorizer call, whose arguments are SQLite's: the action code,
    /// its two details (a table, index, trigger, pragma, function, module or database name,
    /// depending on the action), the database the action applies to, and the innermost trigger
    /// or view the action belongs to (nil at the statement's top level).
    public static func decide(action: Int32, first: String?, second: String?, database: String?, trigger: String?) -> Decision {
        evaluate(action: action, first: first, second: second, database: database, trigger: trigger).decision
    }

    /// A decision and, for a denial, where in the statement's words to point.
    struct Verdict {
        var decision: Decision
        var anchors: [Anchor] = []

        static let allow = Verdict(decision: .allow)
    }

    /// A word of a statement that shows the refused construct: one of some keywords, a name in
    /// a position where a statement writes or defines it, or that name anywhere.
    enum Anchor: Hashable, Sendable {
        case keyword(Set<String>)
        case target(String)
        case name(String)
    }

    static func evaluate(action: Int32, first: String?, second: String?, database: String?, trigger: String?) -> Verdict {
        let context = trigger.map { " (in trigger \($0))" } ?? ""
        func deny(_ construct: String, _ reason: String, _ hint: String, _ anchors: [Anchor]) -> Verdict {
            Verdict(decision: .deny(construct: construct + context, reason: reason, hint: hint), anchors: anchors)
        }
        func reserved(_ construct: String, _ name: String) -> Verdict {
            deny(construct, SQLitePolicyText.reservedReason, SQLitePolicyText.reservedHint, [.target(name), .name(name)])
        }

        switch action {
        case SQLITE_TRANSACTION:
            let operation = (first ?? "TRANSACTION").uppercased()
            let keywords: Set<String> = operation == "COMMIT" ? ["COMMIT", "END"] : [operation]
            return deny(operation, SQLitePolicyText.transactionReason, SQLitePolicyText.transactionHint, [.keyword(keywords)])
        case SQLITE_SAVEPOINT:
            let (construct, keyword): (String, String) = switch first?.uppercased() {
            case "RELEASE": ("RELEASE", "RELEASE")
            case "ROLLBACK": ("ROLLBACK TO", "ROLLBACK")
            default: ("SAVEPOINT", "SAVEPOINT")
            }
            return deny(construct, SQLitePolicyText.savepointReason, SQLitePolicyText.savepointHint, [.keyword([keyword])])
        case SQLITE_ATTACH:
            return deny("ATTACH DATABASE", SQLitePolicyText.attachReason, SQLitePolicyText.attachHint, [.keyword(["ATTACH", "VACUUM"])])
        case SQLITE_DETACH:
            return deny("DETACH DATABASE", SQLitePolicyText.attachReason, SQLitePolicyText.attachHint, [.keyword(["DETACH"])])
        case SQLITE_PRAGMA:
            return pragma(first ?? "", argument: second, context: context)
        case SQLITE_INSERT, SQLITE_UPDATE, SQLITE_DELETE:
            let verb = action == SQLITE_INSERT ? "INSERT INTO" : action == SQLITE_UPDATE ? "UPDATE" : "DELETE FROM"
            guard let table = first else { return .allow }
            if isReserved(table) { return reserved("\(verb) \(table)", table) }
            if deniedTables.contains(folded(table)) {
                return deny("\(verb) \(table)", SQLitePolicyText.tableReason, SQLitePolicyText.functionHint, [.name(table)])
            }
            if trigger != nil, isSchemaTable(table) {
                return deny("\(verb) \(table)", SQLitePolicyText.schemaReason, SQLitePolicyText.schemaHint, [.name(table)])
            }
            return .allow
        case SQLITE_READ:
            guard let table = first, deniedTables.contains(folded(table)) else { return .allow }
            return deny("reading \(table)", SQLitePolicyText.tableReason, SQLitePolicyText.functionHint, [.name(table)])
        case SQLITE_CREATE_TABLE, SQLITE_CREATE_TEMP_TABLE, SQLITE_CREATE_VIEW, SQLITE_CREATE_TEMP_VIEW,
            SQLITE_DROP_TABLE, SQLITE_DROP_TEMP_TABLE, SQLITE_DROP_VIEW, SQLITE_DROP_TEMP_VIEW:
            guard let name = first, isReserved(name) else { return .allow }
            return reserved("\(schemaVerb(action)) \(name)", name)
        case SQLITE_CREATE_INDEX, SQLITE_CREATE_TEMP_INDEX, SQLITE_DROP_INDEX, SQLITE_DROP_TEMP_INDEX,
            SQLITE_CREATE_TRIGGER, SQLITE_CREATE_TEMP_TRIGGER, SQLITE_DROP_TRIGGER, SQLITE_DROP_TEMP_TRIGGER:
            if let name = first, isReserved(name) { return reserved("\(schemaVerb(action)) \(name)", name) }
            if let table = second, isReserved(table) { return reserved("\(schemaVerb(action)) ON \(table)", table) }
            return .allow
        case SQLITE_ALTER_TABLE:
            guard let table = second, isReserved(table) else { return .allow }
            return reserved("ALTER TABLE \(table)", table)
        case SQLITE_CREATE_VTABLE, SQLITE_DROP_VTABLE:
            let verb = action == SQLITE_CREATE_VTABLE ? "CREATE VIRTUAL TABLE" : "DROP TABLE"
            if let name = first, isReserved(name) { return reserved("\(verb) \(name)", name) }
            let module = second ?? ""
            guard !allowedModules.contains(folded(module)) else { return .allow }
            let anchors: [Anchor] = action == SQLITE_CREATE_VTABLE ? [.name(module)] : [.target(first ?? ""), .name(first ?? "")]
            return deny("\(verb) … USING \(module)", SQLitePolicyText.moduleReason, SQLitePolicyText.moduleHint, anchors)
        case SQLITE_FUNCTION:
            guard let function = second, deniedFunctions.contains(folded(function)) else { return .allow }
            return deny("\(folded(function))()", SQLitePolicyText.functionReason, SQLitePolicyText.functionHint, [.name(function)])
        case SQLITE_SELECT, SQLITE_RECURSIVE, SQLITE_ANALYZE, SQLITE_REINDEX:
            return .allow
        default:
            return deny("action \(action)", SQLitePolicyText.unknownActionReason, SQLitePolicyText.unknownActionHint, [])
        }
    }

    /// The decision for a pragma `name` with `argument` (nil when it has none).
    private static func pragma(_ name: String, argument: String?, context: String) -> Verdict {
        let key = folded(name)
        let construct = "PRAGMA \(key)" + (argument.map { " = \($0)" } ?? "") + context
        let anchors: [Anchor] = [.keyword(["PRAGMA"]), .name("pragma_" + key)]
        func deny(_ reason: String, _ hint: String) -> Verdict {
            Verdict(decision: .deny(construct: construct, reason: reason, hint: hint), anchors: anchors)
        }
        if introspectionPragmas.contains(key) { return .allow }
        guard let argument else {
            return readablePragmas.contains(key) ? .allow : key == "database_list"
                ? deny(SQLitePolicyText.databaseListReason, SQLitePolicyText.databaseListHint)
                : deny(SQLitePolicyText.unknownPragmaReason, SQLitePolicyText.unknownPragmaHint)
        }
        switch key {
        case "user_version", "application_id":
            return .allow
        case "defer_foreign_keys":
            return booleanValue(argument) == nil ? deny(SQLitePolicyText.unknownPragmaReason, SQLitePolicyText.unknownPragmaHint) : .allow
        case "foreign_keys":
            return deny(SQLitePolicyText.foreignKeysReason, SQLitePolicyText.foreignKeysHint)
        case _ where schemaBookkeepingPragmas.contains(key):
            return deny(SQLitePolicyText.schemaReason, SQLitePolicyText.schemaHint)
        default:
            return deny(SQLitePolicyText.settingReason, SQLitePolicyText.settingHint)
        }
    }

    /// The words of the schema change an action code stands for.
    private static func schemaVerb(_ action: Int32) -> String {
        switch action {
        case SQLITE_CREATE_TABLE: "CREATE TABLE"
        case SQLITE_CREATE_TEMP_TABLE: "CREATE TEMP TABLE"
        case SQLITE_CREATE_VIEW: "CREATE VIEW"
        case SQLITE_CREATE_TEMP_VIEW: "CREATE TEMP VIEW"
        case SQLITE_DROP_TABLE, SQLITE_DROP_TEMP_TABLE: "DROP TABLE"
        case SQLITE_DROP_VIEW, SQLITE_DROP_TEMP_VIEW: "DROP VIEW"
        case SQLITE_CREATE_INDEX: "CREATE INDEX"
        case SQLITE_CREATE_TEMP_INDEX: "CREATE TEMP INDEX"
        case SQLITE_DROP_INDEX, SQLITE_DROP_TEMP_INDEX: "DROP INDEX"
        case SQLITE_CREATE_TRIGGER: "CREATE TRIGGER"
        case SQLITE_CREATE_TEMP_TRIGGER: "CREATE TEMP TRIGGER"
        default: "DROP TRIGGER"
        }
    }
}
