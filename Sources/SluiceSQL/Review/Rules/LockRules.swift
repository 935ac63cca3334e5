/// Lock-aware PostgreSQL rules, in the spirit of Squawk: which lock a statement takes on a table
/// in use, what that blocks, and how to keep it short.
enum LockRules {
    /// The table lock a statement takes on a table that existed before the sheet, if it is one that blocks traffic.
    struct TableLock {
        var mode: String
        var table: String
        var blocks: String
    }

    static func blockingLock(_ input: RuleInput) -> TableLock? {
        guard let node = input.node, let table = input.statement.tables.first, !input.isCreatedEarlier(table) else { return nil }
        let accessExclusive = ("ACCESS EXCLUSIVE", "every read and write")
        let share = ("SHARE", "every write (INSERT, UPDATE, DELETE)")
        let shareRowExclusive = ("SHARE ROW EXCLUSIVE", "every write (INSERT, UPDATE, DELETE)")
        let lock: (String, String)?
        switch node.tag {
        case "AlterTableStmt":
            let subtypes = node.alterCommands.compactMap { $0["subtype"]?.string }
            if subtypes.allSatisfy({ $0 == "AT_ValidateConstraint" || $0 == "AT_SetStatistics" }) {
                lock = nil
            } else if subtypes.allSatisfy({ $0 == "AT_AddConstraint" }),
                      node.tableConstraints.allSatisfy({ $0.constraintType == "CONSTR_FOREIGN" }) {
                lock = shareRowExclusive
            } else {
                lock = accessExclusive
            }
        case "IndexStmt": lock = node["concurrent"]?.bool == true ? nil : share
        case "DropStmt": lock = node["concurrent"]?.bool == true ? nil : accessExclusive
        case "RenameStmt", "TruncateStmt", "ClusterStmt": lock = accessExclusive
        case "RefreshMatViewStmt": lock = node["concurrent"]?.bool == true ? nil : accessExclusive
        case "CreateTrigStmt": lock = shareRowExclusive
        case "VacuumStmt":
            let full = node["options"]?.list.contains { $0["defname"]?.string == "full" } ?? false
            lock = full ? accessExclusive : nil
        default: lock = nil
        }
        return lock.map { TableLock(mode: $0.0, table: table, blocks: $0.1) }
    }

    static let all: [ReviewRule] = [
        ReviewRule("index.create-concurrently", "Build indexes on existing tables CONCURRENTLY",
                   fix: "CREATE INDEX CONCURRENTLY … in a sheet of its own (it cannot run in a transaction).",
                   level: .warning, dialects: [.postgres]) { input in
            guard input.tag == "IndexStmt", input.node?["concurrent"]?.bool != true, let table = input.statement.tables.first,
                  !input.isCreatedEarlier(table) else { return [] }
            return [RuleHit("CREATE INDEX takes a SHARE lock on \(table): every write waits until the index is built")]
        },
        ReviewRule("index.drop-concurrently", "Drop indexes CONCURRENTLY",
                   fix: "DROP INDEX CONCURRENTLY … in a sheet of its own.", level: .warning, dialects: [.postgres]) { input in
            guard input.statement.type == "DROP_INDEX", input.node?["concurrent"]?.bool != true else { return [] }
            return [RuleHit("DROP INDEX takes an ACCESS EXCLUSIVE lock on the table: every read and write waits")]
        },
        ReviewRule("lock.require-lock-timeout", "Set lock_timeout before DDL that blocks traffic",
                   fix: "Start the sheet with SET LOCAL lock_timeout = '2s'; so the DDL gives up instead of queueing traffic behind it.",
                   level: .warning, dialects: [.postgres]) { input in
            guard let lock = blockingLock(input) else { return [] }
            let timeoutSet = input.earlier.contains { $0.type == "SET" && $0.statement.text.lowercased().contains("lock_timeout") }
            guard !timeoutSet else { return [] }
            return [RuleHit("\(input.statement.type) waits for an \(lock.mode) lock on \(lock.table) with no lock_timeout: while it waits behind a long query, \(lock.blocks) queues behind it")]
        },
        ReviewRule("lock.blocking-ddl", "Report the lock each statement takes on a table in use",
                   fix: "Run it when traffic is low, keep the transaction short, and set lock_timeout.",
                   level: .disabled, dialects: [.postgres]) { input in
            guard let lock = blockingLock(input) else { return [] }
            return [RuleHit("\(input.statement.type) takes an \(lock.mode) lock on \(lock.table): it blocks \(lock.blocks) until the transaction ends")]
        },
        ReviewRule("column.type-change-rewrites-table", "Column type changes that rewrite the table",
                   fix: "Add a column of the new type, backfill it in batches, then swap; or change to a binary-compatible type (varchar → text).",
                   level: .warning, dialects: [.postgres]) { input in
            AlterTableRules.existingTableCommands(input).compactMap { cmd in
                guard cmd["subtype"]?.string == "AT_AlterColumnType", let def = cmd["def"] else { return nil }
                // Widening to text or an unbounded varchar is binary-compatible from varchar/text: no rewrite.
                let type = def.typeName ?? ""
                if (type == "text" || type == "varchar") && def.typeLength == nil && def["raw_default"] == nil { return nil }
                return RuleHit("changing \(cmd["name"]?.string ?? "a column") to \(type) rewrites the whole table (and its indexes) under an ACCESS EXCLUSIVE lock", at: def.location)
            }
        },
    ]
}
