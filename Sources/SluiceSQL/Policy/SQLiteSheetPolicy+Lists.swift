extension SQLiteSheetPolicy {
    /// Pragmas a sheet may run without an argument: they only report. The introspection
    /// pragmas take an object name or a limit as their argument and may have one too.
    static let readablePragmas: Set<String> = [
        "user_version", "application_id", "foreign_keys", "defer_foreign_keys", "schema_version",
        "page_count", "page_size", "freelist_count", "encoding", "data_version", "collation_list",
    ]

    /// Pragmas that read the schema or check the data, with or without an argument (a table or
    /// index name, or a row limit). `optimize` runs ANALYZE where it would help, nothing else.
    /// Left out on purpose, though harmless: `function_list`, `pragma_list`, `module_list` and
    /// `compile_options` describe the SQLite build, which no migration needs.
    static let introspectionPragmas: Set<String> = [
        "table_info", "table_xinfo", "table_list", "index_list", "index_info", "index_xinfo",
        "foreign_key_list", "foreign_key_check", "integrity_check", "quick_check", "optimize",
    ]

    /// Pragmas a sheet may set: each is stored in the database file inside the transaction, or
    /// lasts until its end, so it is committed or rolled back with the task.
    static let writablePragmas: Set<String> = ["user_version", "application_id", "defer_foreign_keys"]

    /// Pragmas whose refusal gets a reason of its own instead of the settings reason.
    static let schemaBookkeepingPragmas: Set<String> = ["writable_schema", "schema_version"]

    /// Functions a sheet may not call: they load code, read or write files outside the target,
    /// start an editor, or read and set the address of an FTS3 tokenizer.
    static let deniedFunctions: Set<String> = [
        "load_extension", "readfile", "writefile", "edit", "fts3_tokenizer", "zipfile",
    ]

    /// Tables, most of them virtual, that a sheet may neither read nor write: raw database
    /// pages, the text of the connection's other statements, archives and the file system.
    /// An application table that happens to bear one of these names is refused as well.
    static let deniedTables: Set<String> = [
        "sqlite_dbpage", "sqlite_dbdata", "sqlite_dbptr", "sqlite_stmt", "zipfile", "fsdir",
    ]

    /// Virtual-table modules a sheet may create and drop tables of: full-text search and
    /// R-trees, which keep their data in ordinary tables of the target.
    static let allowedModules: Set<String> = [
        "fts3", "fts4", "fts5", "fts4aux", "fts5vocab", "rtree", "rtree_i32", "geopoly",
    ]

    /// The tables that hold the schema. SQLite writes them itself for every CREATE, ALTER and
    /// DROP and reports those writes to the authorizer as the statement's own.
    static let schemaTables: Set<String> = ["sqlite_master", "sqlite_schema", "sqlite_temp_master", "sqlite_temp_schema"]

    /// The prefix of the objects Sluice keeps in a target (`sluice_migration_history`).
    static let reservedPrefix = "sluice_"

    /// Whether `name` is reserved for Sluice; ASCII case is ignored, as SQLite ignores it.
    static func isReserved(_ name: String?) -> Bool {
        guard let name else { return false }
        return name.utf8.count >= reservedPrefix.utf8.count && folded(name).hasPrefix(reservedPrefix)
    }

    static func isSchemaTable(_ name: String?) -> Bool { name.map { schemaTables.contains(folded($0)) } ?? false }

    /// `name` with ASCII letters lower-cased and nothing else changed, as SQLite compares names.
    static func folded(_ name: String) -> String {
        String(decoding: name.utf8.map { $0 >= 65 && $0 <= 90 ? $0 + 32 : $0 }, as: UTF8.self)
    }

    /// The truth value of a boolean pragma argument, or nil when it is not one.
    static func booleanValue(_ argument: String) -> Bool? {
        switch folded(argument) {
        case "on", "1", "true", "yes": true
        case "off", "0", "false", "no": false
        default: nil
        }
    }
}

/// The reasons and hints of the sheet policy, in one place.
enum SQLitePolicyText {
    static let transactionReason = """
        Sluice runs every task in one transaction of its own and records the task in it; a sheet \
        that ends, opens or rolls back a transaction escapes it, and a plan check would write to the \
        target before approval
        """
    static let transactionHint = """
        Leave transaction control out. For SQLite's table rebuild with foreign keys off, write \
        PRAGMA foreign_keys = OFF; first and PRAGMA foreign_keys = ON; last with the rebuild in \
        between (a BEGIN … COMMIT around it may stay): Sluice then turns foreign keys off for the \
        task itself and runs PRAGMA foreign_key_check before its own commit
        """
    static let savepointReason = """
        Sluice runs every task in one transaction of its own; a savepoint released or rolled back \
        by the sheet undoes or hides part of it
        """
    static let savepointHint = "Leave savepoints out; a task succeeds or fails as a whole"
    static let attachReason = "a sheet touches only its own target"
    static let attachHint = "Write a separate sheet for each database; Sluice runs it against that target"
    static let settingReason = "connection and file settings outlive the task"
    static let settingHint = "A DBA sets them outside Sluice"
    static let foreignKeysHint = transactionHint
    static let foreignKeysReason = """
        turning foreign keys on or off cannot take effect inside Sluice's transaction and would \
        outlive the task
        """
    static let schemaReason = "it edits SQLite's bookkeeping of the schema directly and can corrupt the database"
    static let schemaHint = "Change the schema with CREATE, ALTER and DROP statements"
    static let databaseListReason = "it reveals the paths of the target's files"
    static let databaseListHint = "A migration has no need of them; leave it out"
    static let unknownPragmaReason = "it is not among the pragmas a sheet may run"
    static let unknownPragmaHint = """
        A sheet may read the schema (table_info, index_list, foreign_key_list, …), check it \
        (foreign_key_check, integrity_check, quick_check), run optimize, and set user_version, \
        application_id and defer_foreign_keys; a DBA runs anything else outside Sluice
        """
    static let reservedReason = "objects named sluice_… are Sluice's own, and the migration history is Sluice's record"
    static let reservedHint = "Name the object differently; Sluice records each task in its history itself"
    static let functionReason = "it reaches outside the target (files, code or memory addresses)"
    static let functionHint = "Leave it out; a migration changes only the target's schema and data"
    static let tableReason = "it reads or writes raw pages, files or the connection's other statements"
    static let moduleReason = "only full-text search and R-tree virtual tables may be created or dropped"
    static let moduleHint = "Use fts5, fts4, fts3 or rtree, or create an ordinary table"
    static let vacuumIntoReason = "VACUUM INTO writes a copy of the target to a file outside it"
    static let vacuumIntoHint = "Back up the target outside Sluice; a plain VACUUM may stand in a sheet of its own"
    static let unknownActionReason = "SQLite reports an action the sheet policy does not know"
    static let unknownActionHint = "Report it to Sluice's maintainers"
}
