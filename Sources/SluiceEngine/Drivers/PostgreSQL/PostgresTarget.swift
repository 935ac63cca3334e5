import Foundation
import GRDB

/// How to reach one PostgreSQL database: its instance's conninfo (never with a password), the
/// database name, the instance's connection cap and timeouts, and the sealed password if any.
public struct PostgresTarget: Sendable, Codable, Equatable {
    /// Used when the instance sets none: wait at most 10 s for a lock (a migration queued
    /// behind a long transaction would block everyone behind it), and let a statement run 30 min.
    public static let defaultLockTimeoutMs = 10_000
    public static let defaultStatementTimeoutMs = 1_800_000

    public var instance: String
    public var conninfo: String
    public var database: String
    public var maxConnections: Int
    public var lockTimeoutMs: Int
    public var statementTimeoutMs: Int
    /// The password sealed with the workspace key (never encoded: not in `--json`).
    var sealedPassword: String? = nil
    /// The metastore file; its key file sits beside it, and it tells workspaces' pools apart.
    var metastoreFile: String = ""
    /// The login role plan checks connect as (`instance set --check-role`); nil: EXPLAIN-only dry runs.
    public var checkRole: String? = nil
    /// The role this target's connections log in as, when not the conninfo's own.
    var loginUser: String? = nil

    enum CodingKeys: String, CodingKey { case instance, conninfo, database, maxConnections, lockTimeoutMs, statementTimeoutMs, checkRole }

    /// Columns `TargetDatabase.selectSQL` adds for PostgreSQL targets.
    static let columns = """
        i.location AS instanceLocation, i.maxConnections AS instanceMaxConnections, \
        pg.lockTimeoutMs AS pgLockTimeoutMs, pg.statementTimeoutMs AS pgStatementTimeoutMs, \
        pg.sealedPassword AS pgSealedPassword, pg.checkRole AS pgCheckRole, (SELECT file FROM pragma_database_list WHERE name = 'main') AS metastoreFile
        """
    static let joins = "LEFT JOIN postgresInstance pg ON pg.instance = d.instance"

    init(instance: String, conninfo: String, database: String, maxConnections: Int, lockTimeoutMs: Int? = nil,
         statementTimeoutMs: Int? = nil, sealedPassword: String? = nil, metastoreFile: String = "") {
        self.instance = instance; self.conninfo = conninfo; self.database = database; self.maxConnections = maxConnections
        self.lockTimeoutMs = lockTimeoutMs ?? Self.defaultLockTimeoutMs
        self.statementTimeoutMs = statementTimeoutMs ?? Self.defaultStatementTimeoutMs
        self.sealedPassword = sealedPassword; self.metastoreFile = metastoreFile
    }

    init(row: Row, database: String) {
        self.init(instance: row["instance"], conninfo: row["instanceLocation"] ?? "", database: database,
                  maxConnections: row["instanceMaxConnections"] ?? 8, lockTimeoutMs: row["pgLockTimeoutMs"],
                  statementTimeoutMs: row["pgStatementTimeoutMs"], sealedPassword: row["pgSealedPassword"],
                  metastoreFile: row["metastoreFile"] ?? "")
        checkRole = row["pgCheckRole"]
    }

    /// The same database reached as the check role: the connection plan checks run on.
    var asChecker: PostgresTarget? {
        guard let checkRole else { return nil }
        var t = self
        t.loginUser = checkRole
        return t
    }

    /// The key file that opens `sealedPassword`.
    var keyFile: String { PostgresSecrets.keyFile(besideMetastore: metastoreFile) }

    /// The password to send, if the instance stores one (else libpq's own sources apply).
    func password() throws -> String? {
        guard let sealedPassword else { return nil }
        return try PostgresSecrets.open(sealedPassword, keyFile: keyFile)
    }

    /// The pool this target's connections come from: one per instance of one workspace.
    var poolKey: String { metastoreFile + "\u{1}" + instance + "\u{1}" + conninfo + "\u{1}" + (loginUser ?? "") }
}
