import CLibPQ
import Foundation

/// The private PostgreSQL server `scripts/test.sh` starts (conninfo in `SLUICE_TEST_PG`), reached
/// with plain libpq so that checks never go through the code under test.
enum TestServer {
    struct Missing: Error, CustomStringConvertible {
        var description: String {
            "SLUICE_TEST_PG is not set: these tests need a PostgreSQL server. Run ./scripts/test.sh (it starts a private one), "
                + "or start a server yourself and export SLUICE_TEST_PG=\"host=127.0.0.1 port=PORT user=postgres dbname=postgres\"."
        }
    }

    struct Failure: Error, CustomStringConvertible { var description: String }

    static func conninfo() throws -> String {
        guard let c = ProcessInfo.processInfo.environment["SLUICE_TEST_PG"], !c.isEmpty else { throw Missing() }
        return c
    }

    /// Runs SQL in `database` (the maintenance database when nil) and returns the first column of every row.
    @discardableResult
    static func query(_ sql: String, database: String? = nil) throws -> [String?] {
        let keys = ["dbname", "dbname"], values = [try conninfo(), database ?? ""]
        let k = keys.map { strdup($0) }, v = values.map { strdup($0) }
        defer { k.forEach { free($0) }; v.forEach { free($0) } }
        var kp: [UnsafePointer<CChar>?] = k.map { UnsafePointer($0) } + [nil]
        var vp: [UnsafePointer<CChar>?] = v.map { UnsafePointer($0) } + [nil]
        guard let conn = PQconnectdbParams(&kp, &vp, 1) else { throw Failure(description: "no connection") }
        defer { PQfinish(conn) }
        guard PQstatus(conn) == CONNECTION_OK else { throw Failure(description: String(cString: PQerrorMessage(conn))) }
        PQsetNoticeProcessor(conn, { _, _ in }, nil)
        guard let result = PQexec(conn, sql) else { throw Failure(description: String(cString: PQerrorMessage(conn))) }
        defer { PQclear(result) }
        let status = PQresultStatus(result)
        guard status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK else {
            throw Failure(description: String(cString: PQresultErrorMessage(result)))
        }
        return (0..<PQntuples(result)).map { r in PQgetisnull(result, r, 0) == 1 ? nil : String(cString: PQgetvalue(result, r, 0)) }
    }

    static func int(_ sql: String, database: String) throws -> Int {
        guard let v = try query(sql, database: database).first, let s = v, let n = Int(s) else { throw Failure(description: "no integer from \(sql)") }
        return n
    }

    /// `count` fresh databases named PREFIX_0…, dropped by `drop`.
    static func createDatabases(prefix: String, count: Int) throws -> [String] {
        let names = (0..<count).map { "\(prefix)_\($0)" }
        for n in names { try query("CREATE DATABASE \(n)") }
        return names
    }

    static func drop(_ names: [String]) {
        for n in names { _ = try? query("DROP DATABASE IF EXISTS \(n) WITH (FORCE)") }
    }

    /// A unique, valid database-name prefix for one test.
    static func uniquePrefix(_ tag: String) -> String {
        "sl_\(tag)_" + UUID().uuidString.prefix(8).lowercased()
    }
}
