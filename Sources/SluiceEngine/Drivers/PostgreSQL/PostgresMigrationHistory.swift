import Crypto
import Foundation

/// `public.sluice_migration_history` inside a PostgreSQL target: the same record as on SQLite,
/// written in the task's own transaction, and `public.sluice_run_fence`, the task runs another
/// runner settled after their lease passed (they may never commit here).
enum PostgresMigrationHistory {
    static let table = "public.\(SchemaSnapshot.historyTable)"
    static let fenceTable = "public.\(MigrationHistory.fenceTable)"

    static let createSQL = """
        CREATE TABLE IF NOT EXISTS \(table) (
            id bigserial PRIMARY KEY,
            version text,
            type text NOT NULL,
            status text NOT NULL,
            statement text NOT NULL,
            checksum text NOT NULL,
            schema_before text NOT NULL,
            schema_after text NOT NULL,
            duration_ms double precision NOT NULL,
            issue_id bigint,
            task_id bigint,
            task_run_id bigint,
            workspace text,
            applied_by text NOT NULL,
            applied_at text NOT NULL,
            mac text
        )
        """

    /// One DONE row per task of a workspace, whatever a runner does; a guard that refuses UPDATE,
    /// DELETE and TRUNCATE of the history unless Sluice itself asked (`writing`), so code a sheet
    /// left behind (a trigger on an application table, fired later by the application) cannot
    /// erase it; and the fence, created last (its presence says the rest is there).
    static let companionSQL = """
        CREATE UNIQUE INDEX IF NOT EXISTS \(SchemaSnapshot.historyTable)_task ON \(table) (workspace, task_id) WHERE status = 'DONE' AND task_id IS NOT NULL;
        CREATE OR REPLACE FUNCTION public.sluice_history_guard() RETURNS trigger LANGUAGE plpgsql AS $guard$
        BEGIN
          IF pg_catalog.current_setting('sluice.history_write', true) IS DISTINCT FROM 'on' THEN
            RAISE EXCEPTION 'sluice_migration_history is written by Sluice only: % refused', TG_OP;
          END IF;
          RETURN NULL;
        END $guard$;
        DROP TRIGGER IF EXISTS sluice_history_guard ON \(table);
        CREATE TRIGGER sluice_history_guard BEFORE UPDATE OR DELETE OR TRUNCATE ON \(table)
          FOR EACH STATEMENT EXECUTE FUNCTION public.sluice_history_guard();
        CREATE TABLE IF NOT EXISTS \(fenceTable) (
            workspace text NOT NULL,
            task_run_id bigint NOT NULL,
            fenced_at text NOT NULL,
            PRIMARY KEY (workspace, task_run_id)
        )
        """

    /// `sql` (an UPDATE or DELETE of the history by Sluice itself) between switching the guard off
    /// and on again, to send as one batch: one transaction even outside the task's own.
    static func writing(_ sql: String) -> String {
        "SELECT pg_catalog.set_config('sluice.history_write', 'on', true); \(sql); SELECT pg_catalog.set_config('sluice.history_write', 'off', true)"
    }

    /// Whether both tables exist in their current layout (the fence table is created last).
    static let currentSQL = "SELECT to_regclass('\(table)') IS NOT NULL AND to_regclass('\(fenceTable)') IS NOT NULL"

    /// Creates the tables, or upgrades a history table from before seals: adds `mac`, seals this
    /// workspace's rows as they stand, adds the unique index and the fence table.
    static func prepare(_ conn: PostgresConnection, workspace: String, seal: HistorySeal) throws {
        if try conn.execute(currentSQL).rows.first?.first == "t" { return }
        if try !exists(conn) {
            try conn.execute(createSQL)
        } else {
            try conn.execute("ALTER TABLE \(table) ADD COLUMN IF NOT EXISTS mac text")
            for r in try fetchAll(conn, where: "workspace = $1 AND mac IS NULL", [workspace]) {
                _ = try conn.executeBatch(writing("UPDATE \(table) SET mac = \(try conn.literal(seal.seal(r))) WHERE id = \(r.id)"))
            }
        }
        _ = try conn.executeBatch(companionSQL)
    }

    /// The advisory lock a run of `task` holds for its whole transaction, and a fence takes too:
    /// whichever comes second sees what the first did.
    static func lockKey(workspace: String, task: Int64) -> Int64 {
        let digest = Array(SHA256.hash(data: Data("\(workspace):\(task)".utf8)))
        return digest.prefix(8).reduce(Int64(0)) { ($0 << 8) | Int64($1) }
    }

    /// Rows (each row's id, `xmin` and `ctid`: any UPDATE or DELETE changes them, without reading the
    /// rows' text), fences and every trigger, rule, policy and column default on Sluice's tables, as one
    /// text: taken before and after a sheet's statements in its transaction, so a sheet that
    /// reached them by any path (a DO block, a function, a trigger) is caught before anything commits.
    static let fingerprintSQL = """
        SELECT pg_catalog.concat_ws('|',
          (SELECT pg_catalog.count(*)::text || ':' || COALESCE(pg_catalog.md5(pg_catalog.string_agg(id::text || '@' || xmin::text || ctid::text, ',' ORDER BY id)), '') FROM \(table)),
          (SELECT pg_catalog.count(*)::text || ':' || COALESCE(pg_catalog.md5(pg_catalog.string_agg(workspace || '/' || task_run_id::text, ',' ORDER BY workspace, task_run_id)), '') FROM \(fenceTable)),
          (SELECT pg_catalog.string_agg(c.relname || ':' || c.relkind::text || ':' || c.relrowsecurity::text, ',' ORDER BY c.relname) FROM pg_catalog.pg_class c
             WHERE c.relnamespace = 'public'::regnamespace AND c.relname LIKE 'sluice\\_%'),
          (SELECT pg_catalog.count(*)::text FROM pg_catalog.pg_trigger t WHERE t.tgrelid IN ('\(table)'::regclass, '\(fenceTable)'::regclass)),
          (SELECT pg_catalog.count(*)::text FROM pg_catalog.pg_rewrite r WHERE r.ev_class IN ('\(table)'::regclass, '\(fenceTable)'::regclass)),
          (SELECT pg_catalog.count(*)::text FROM pg_catalog.pg_policy p WHERE p.polrelid IN ('\(table)'::regclass, '\(fenceTable)'::regclass)),
          (SELECT pg_catalog.string_agg(a.attname || ':' || a.atttypid::text || ':' || COALESCE(pg_catalog.pg_get_expr(d.adbin, d.adrelid), ''), ',' ORDER BY a.attrelid, a.attnum)
             FROM pg_catalog.pg_attribute a LEFT JOIN pg_catalog.pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
             WHERE a.attrelid IN ('\(table)'::regclass, '\(fenceTable)'::regclass) AND a.attnum > 0 AND NOT a.attisdropped))
        """

    private static let columns = """
        id, version, type, status, statement, checksum, schema_before, schema_after, duration_ms,
        issue_id, task_id, task_run_id, workspace, applied_by, applied_at, mac
        """

    /// One row, `t` when the table exists (to send in a batch with other statements).
    static let existsSQL = "SELECT to_regclass('\(table)') IS NOT NULL"

    static func exists(_ conn: PostgresConnection) throws -> Bool {
        try conn.execute(existsSQL).rows.first?.first == "t"
    }

    /// Creates the table when missing (checked first, so no "already exists" notice reaches the log).
    static func ensure(_ conn: PostgresConnection) throws {
        if try !exists(conn) { try conn.execute(createSQL) }
    }

    private static let insertColumns = """
        version, type, status, statement, checksum, schema_before, schema_after, duration_ms,
        issue_id, task_id, task_run_id, workspace, applied_by, applied_at, mac
        """

    private static func values(_ r: MigrationRecord, seal: HistorySeal) -> [String?] {
        [r.version, r.type, r.status, r.statement, r.checksum, r.schemaBefore, r.schemaAfter, "\(r.durationMs)",
         r.issueId.map { "\($0)" }, r.taskId.map { "\($0)" }, r.taskRunId.map { "\($0)" }, r.workspace, r.appliedBy, r.appliedAt,
         seal.seal(r)]
    }

    static func insert(_ conn: PostgresConnection, _ r: MigrationRecord, seal: HistorySeal) throws -> Int64 {
        let row = try conn.execute("""
            INSERT INTO \(table) (\(insertColumns))
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15) RETURNING id
            """, values(r, seal: seal))
        return row.rows.first?.first.flatMap { $0.flatMap { Int64($0) } } ?? 0
    }

    /// The same insert as one statement with its values as literals, to send in a batch (say, with the COMMIT).
    static func insertSQL(_ conn: PostgresConnection, _ r: MigrationRecord, seal: HistorySeal) throws -> String {
        let literals = try values(r, seal: seal).map { try conn.literal($0) }
        return "INSERT INTO \(table) (\(insertColumns)) VALUES (\(literals.joined(separator: ", ")))"
    }

    static func fetchAll(_ conn: PostgresConnection, where clause: String = "true", _ args: [String?] = []) throws -> [MigrationRecord] {
        guard try exists(conn) else { return [] }
        let hasMac = try conn.execute("SELECT EXISTS (SELECT 1 FROM pg_attribute WHERE attrelid = '\(table)'::regclass AND attname = 'mac' AND NOT attisdropped)")
            .rows.first?.first == "t"
        let select = hasMac ? columns : columns.replacingOccurrences(of: ", mac", with: ", NULL")
        return records(try conn.execute("SELECT \(select) FROM \(table) WHERE \(clause) ORDER BY id", args).rows)
    }

    static func records(_ rows: [[String?]]) -> [MigrationRecord] {
        rows.map { r in
            MigrationRecord(id: r[0].flatMap { Int64($0) } ?? 0, version: r[1], type: r[2] ?? "", status: r[3] ?? "",
                            statement: r[4] ?? "", checksum: r[5] ?? "", schemaBefore: r[6] ?? "", schemaAfter: r[7] ?? "",
                            durationMs: r[8].flatMap { Double($0) } ?? 0, issueId: r[9].flatMap { Int64($0) },
                            taskId: r[10].flatMap { Int64($0) }, taskRunId: r[11].flatMap { Int64($0) }, workspace: r[12],
                            appliedBy: r[13] ?? "", appliedAt: r[14] ?? "", mac: r.count > 15 ? r[15] : nil)
        }
    }

    /// Whether this workspace already recorded `task` as DONE, and the record of a DONE `version`: the query,
    /// with its values as literals to send in a batch with others, and `prior` to read its rows.
    static func priorSQL(_ conn: PostgresConnection, workspace: String, task: Int64, version: String?) throws -> String {
        "SELECT \(columns) FROM \(table) WHERE status = 'DONE' AND ((workspace = \(try conn.literal(workspace)) AND task_id = \(task))"
            + " OR version = \(try conn.literal(version.flatMap { $0.isEmpty ? nil : $0 }))) ORDER BY id"
    }
}
