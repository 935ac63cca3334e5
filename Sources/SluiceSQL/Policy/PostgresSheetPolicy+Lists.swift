/// The names ``PostgresSheetPolicy`` refuses, as data. Names are compared lower-cased, without
/// any schema qualification.
extension PostgresSheetPolicy {
    /// The prefix of the names of Sluice's own objects (`sluice_migration_history`).
    public static let reservedPrefix = "sluice_"

    /// Extensions that reach outside the target database, refused by CREATE and ALTER
    /// EXTENSION (and by CREATE LANGUAGE, which PostgreSQL turns into CREATE EXTENSION):
    /// connections to other databases and systems, server files, other sessions or background
    /// workers, raw pages and WAL, and the untrusted procedural languages. Any other extension
    /// is allowed.
    public static let deniedExtensions: Set<String> = [
        // Other databases and systems.
        "dblink", "postgres_fdw", "file_fdw", "mysql_fdw", "oracle_fdw", "tds_fdw", "mongo_fdw",
        "redis_fdw", "sqlite_fdw", "multicorn", "http", "pgsql-http",
        // Server files and programs.
        "adminpack", "plsh",
        // Work that runs outside the task: scheduled jobs and background sessions.
        "pg_cron", "pg_background",
        // Raw storage and WAL, read past every permission.
        "pageinspect", "pg_surgery", "pg_walinspect",
        // Untrusted procedural languages (installed as extensions).
        "plpython3u", "plpythonu", "plpython2u", "plperlu", "pltclu", "plr", "javau",
    ]

    /// Languages whose code runs with the server's own rights, refused in CREATE FUNCTION,
    /// CREATE PROCEDURE and DO. `plpgsql`, `sql` and the trusted languages are allowed.
    public static let untrustedLanguages: Set<String> = [
        "c", "internal", "plpython3u", "plpythonu", "plpython2u", "plperlu", "pltclu", "plsh", "plr", "javau",
    ]

    /// Why a function is refused: the family it belongs to.
    public enum FunctionFamily: String, Sendable, Hashable, CaseIterable {
        /// Reads or writes server files (`pg_read_file`, `lo_import`, `pg_ls_dir`…).
        case files
        /// Signals other sessions (`pg_terminate_backend`…).
        case sessions
        /// Controls the server (`pg_reload_conf`, `pg_switch_wal`, backups…).
        case server
        /// Manages replication slots and origins, or decodes WAL.
        case replication
        /// Connects to another database (`dblink…`).
        case remote
        /// Takes or releases a session-level advisory lock (the `_xact_` variants are allowed).
        case advisoryLock
        /// Exports the task's snapshot.
        case snapshot
    }

    /// Functions refused wherever a statement calls or names them, by exact name.
    public static let deniedFunctions: [String: FunctionFamily] = [
        "pg_read_file": .files, "pg_read_binary_file": .files, "pg_stat_file": .files,
        "lo_import": .files, "lo_export": .files, "pg_logdir_ls": .files, "pg_current_logfile": .files,
        "pg_terminate_backend": .sessions, "pg_cancel_backend": .sessions, "pg_log_backend_memory_contexts": .sessions,
        "pg_reload_conf": .server, "pg_rotate_logfile": .server, "pg_promote": .server, "pg_switch_wal": .server,
        "pg_switch_xlog": .server, "pg_start_backup": .server, "pg_stop_backup": .server,
        "pg_create_restore_point": .server,
        "pg_advisory_lock": .advisoryLock, "pg_advisory_lock_shared": .advisoryLock,
        "pg_try_advisory_lock": .advisoryLock, "pg_try_advisory_lock_shared": .advisoryLock,
        "pg_advisory_unlock": .advisoryLock, "pg_advisory_unlock_shared": .advisoryLock,
        "pg_advisory_unlock_all": .advisoryLock,
        "pg_export_snapshot": .snapshot,
    ]

    /// Functions refused by how their names begin (every `pg_ls_…`, `pg_file_…`, `dblink…`).
    public static let deniedFunctionPrefixes: [(prefix: String, family: FunctionFamily)] = [
        ("pg_ls_", .files), ("pg_file_", .files),
        ("pg_backup_", .server), ("pg_wal_replay_", .server), ("pg_stat_reset", .server),
        ("pg_logical_", .replication), ("pg_replication_origin_", .replication),
        ("pg_create_physical_replication_slot", .replication), ("pg_create_logical_replication_slot", .replication),
        ("pg_drop_replication_slot", .replication), ("pg_copy_physical_replication_slot", .replication),
        ("pg_copy_logical_replication_slot", .replication), ("pg_replication_slot_advance", .replication),
        ("dblink", .remote),
    ]

    /// The family of a refused function, given the last part of its name; nil if allowed.
    /// `set_config` is decided by its arguments, not here.
    public static func deniedFamily(ofFunction name: String) -> FunctionFamily? {
        let name = name.lowercased()
        if let family = deniedFunctions[name] { return family }
        return deniedFunctionPrefixes.first { name.hasPrefix($0.prefix) }?.family
    }

    /// Whether an object's own (unqualified) name marks it as Sluice's.
    public static func isReserved(_ name: String) -> Bool {
        name.lowercased().hasPrefix(reservedPrefix)
    }
}

extension PostgresSheetPolicy.FunctionFamily {
    var reason: String {
        switch self {
        case .files: PostgresPolicyText.fileFunctionReason
        case .sessions: PostgresPolicyText.sessionFunctionReason
        case .server: PostgresPolicyText.serverFunctionReason
        case .replication: PostgresPolicyText.replicationFunctionReason
        case .remote: PostgresPolicyText.remoteFunctionReason
        case .advisoryLock: PostgresPolicyText.advisoryLockReason
        case .snapshot: PostgresPolicyText.snapshotReason
        }
    }

    var hint: String {
        switch self {
        case .files: PostgresPolicyText.fileFunctionHint
        case .sessions: PostgresPolicyText.sessionFunctionHint
        case .server, .replication: PostgresPolicyText.serverFunctionHint
        case .remote: PostgresPolicyText.remoteFunctionHint
        case .advisoryLock: PostgresPolicyText.advisoryLockHint
        case .snapshot: PostgresPolicyText.snapshotHint
        }
    }
}
