import CLibPQ
import Foundation

/// What one statement returned: rows in text format and the affected-row count.
struct PostgresResult: Sendable {
    var columns: [String]
    var rows: [[String?]]
    /// `PQcmdTuples`: rows inserted, updated, deleted, selected…; nil when the command reports none.
    var affectedRows: Int?
    var commandTag: String
}

/// One libpq connection, used by one thread at a time (the pool hands it out). Only the
/// canceller and the notice relay are touched from other threads.
final class PostgresConnection {
    let handle: OpaquePointer
    /// Secrets to scrub from every error this connection reports.
    let secrets: [String]
    private let notices = NoticeRelay()
    /// Set after a statement of a task ran (session state such as `SET` must be discarded before reuse).
    var dirty = false
    /// Whether this session holds the schema snapshot as a prepared statement (`DISCARD ALL` drops it).
    var snapshotPrepared = false

    /// Connects with `conninfo` (key=value or URI, expanded by libpq so `PG*` variables and
    /// `.pgpass` apply), overriding its database with `database` and adding `password` when given.
    init(conninfo: String, database: String?, password: String?, user: String? = nil, connectTimeout: Int = 10) throws {
        var pairs: [(String, String)] = [("connect_timeout", "\(connectTimeout)"), ("dbname", conninfo)]
        if let database { pairs.append(("dbname", database)) }
        if let user { pairs.append(("user", user)) }
        if let password, !password.isEmpty { pairs.append(("password", password)) }
        pairs.append(("fallback_application_name", "sluice"))
        secrets = password.map { [$0] } ?? []
        let keys = pairs.map { strdup($0.0) }, values = pairs.map { strdup($0.1) }
        defer { keys.forEach { free($0) }; values.forEach { free($0) } }
        var k: [UnsafePointer<CChar>?] = keys.map { UnsafePointer($0) } + [nil]
        var v: [UnsafePointer<CChar>?] = values.map { UnsafePointer($0) } + [nil]
        guard let conn = PQconnectdbParams(&k, &v, 1) else {
            throw PostgresError(message: "libpq could not allocate a connection", connectionLost: true)
        }
        guard PQstatus(conn) == CONNECTION_OK else {
            let message = String(cString: PQerrorMessage(conn))
            PQfinish(conn)
            throw PostgresError(message: message, connectionLost: true, secrets: secrets)
        }
        handle = conn
        PQsetNoticeReceiver(conn, { arg, result in
            guard let arg, let result else { return }
            let relay = Unmanaged<NoticeRelay>.fromOpaque(arg).takeUnretainedValue()
            let severity = PQresultErrorField(result, Int32(UInt8(ascii: "V"))).map { String(cString: $0) } ?? "NOTICE"
            let text = PQresultErrorField(result, Int32(UInt8(ascii: "M"))).map { String(cString: $0) }
                ?? String(cString: PQresultErrorMessage(result))
            relay.deliver(severity: severity, message: text)
        }, Unmanaged.passUnretained(notices).toOpaque())
    }

    deinit { PQfinish(handle) }

    var isHealthy: Bool { PQstatus(handle) == CONNECTION_OK }
    var isIdle: Bool { PQtransactionStatus(handle) == PQTRANS_IDLE }
    var serverVersion: Int { Int(PQserverVersion(handle)) }
    var backendPID: Int { Int(PQbackendPID(handle)) }

    /// Routes server notices (RAISE NOTICE, "table does not exist, skipping"…) to `handler`;
    /// with nil they are dropped (never printed: the terminal may hold the TUI).
    func onNotice(_ handler: (@Sendable (_ severity: String, _ message: String) -> Void)?) { notices.set(handler) }

    /// A handle that cancels the running query from another thread (`PQcancel`).
    func canceller() -> PostgresCanceller? { PQgetCancel(handle).map(PostgresCanceller.init) }

    /// Runs one statement (simple protocol when there are no parameters, so any SQL goes).
    /// With `single`, the extended protocol is used even without parameters: the server then
    /// refuses more than one statement (for SQL built around text Sluice did not write).
    @discardableResult
    func execute(_ sql: String, _ params: [String?] = [], single: Bool = false) throws -> PostgresResult {
        let result: OpaquePointer?
        if params.isEmpty && !single {
            result = PQexec(handle, sql)
        } else {
            let copies = params.map { $0.map { strdup($0) } }
            defer { copies.forEach { $0.map { free($0) } } }
            var pointers: [UnsafePointer<CChar>?] = copies.map { copy -> UnsafePointer<CChar>? in
                guard let copy else { return nil }
                return UnsafePointer(copy)
            }
            result = PQexecParams(handle, sql, Int32(params.count), nil, &pointers, nil, nil, 0)
        }
        return try consume(result)
    }

    /// `value` as an SQL literal for this connection's settings (`PQescapeLiteral`); `NULL` for nil.
    func literal(_ value: String?) throws -> String {
        guard let value else { return "NULL" }
        guard let escaped = PQescapeLiteral(handle, value, value.utf8.count) else { throw connectionError() }
        defer { PQfreemem(escaped) }
        return String(cString: escaped)
    }

    /// Discards session state a task left behind (settings, prepared statements); also proves the connection alive.
    func reset() throws {
        try execute("DISCARD ALL")
        dirty = false
        snapshotPrepared = false
    }

    /// An empty query: proves the connection alive.
    func ping() throws { try execute("") }

    /// Sends several statements in one round trip and returns every result (simple protocol).
    func executeBatch(_ sql: String) throws -> [PostgresResult] {
        guard PQsendQuery(handle, sql) == 1 else { throw connectionError() }
        var results: [PostgresResult] = []
        var failure: PostgresError?
        while let r = PQgetResult(handle) {
            do { results.append(try consume(r)) } catch let e as PostgresError { failure = failure ?? e }
        }
        if let failure { throw failure }
        return results
    }

    private func consume(_ result: OpaquePointer?) throws -> PostgresResult {
        guard let result else { throw connectionError() }
        defer { PQclear(result) }
        switch PQresultStatus(result) {
        case PGRES_COMMAND_OK, PGRES_TUPLES_OK, PGRES_EMPTY_QUERY, PGRES_SINGLE_TUPLE:
            let nCols = PQnfields(result), nRows = PQntuples(result)
            let columns = (0..<nCols).map { String(cString: PQfname(result, $0)) }
            var rows: [[String?]] = []
            rows.reserveCapacity(Int(nRows))
            for r in 0..<nRows {
                rows.append((0..<nCols).map { c in
                    PQgetisnull(result, r, c) == 1 ? nil : String(cString: PQgetvalue(result, r, c))
                })
            }
            let tuples = String(cString: PQcmdTuples(result))
            return PostgresResult(columns: columns, rows: rows, affectedRows: Int(tuples), commandTag: String(cString: PQcmdStatus(result)))
        case PGRES_COPY_IN, PGRES_COPY_OUT, PGRES_COPY_BOTH:
            throw PostgresError(message: "COPY to or from the client is not supported in a sheet; use COPY … FROM a server file or INSERT")
        default:
            func field(_ code: Character) -> String? {
                PQresultErrorField(result, Int32(code.asciiValue ?? 0)).map { String(cString: $0) }
            }
            let lost = PQstatus(handle) != CONNECTION_OK
            // When the server ends the session (pg_terminate_backend, shutdown), its FATAL message
            // comes before libpq's "server closed the connection": the connection's message has both.
            let primary = lost ? String(cString: PQerrorMessage(handle)) : field("M")
            throw PostgresError(
                message: primary ?? String(cString: PQresultErrorMessage(result)),
                sqlState: field("C"), position: field("P").flatMap { Int($0) }, detail: field("D"), hint: field("H"),
                connectionLost: lost, secrets: secrets)
        }
    }

    private func connectionError() -> PostgresError {
        PostgresError(message: String(cString: PQerrorMessage(handle)), connectionLost: PQstatus(handle) != CONNECTION_OK, secrets: secrets)
    }
}

/// Cancels the query running on a connection, from any thread (libpq's `PQcancel` is thread-safe).
final class PostgresCanceller: @unchecked Sendable {
    private let cancel: OpaquePointer
    init(_ cancel: OpaquePointer) { self.cancel = cancel }
    deinit { PQfreeCancel(cancel) }

    func fire() {
        var buffer = [CChar](repeating: 0, count: 256)
        _ = PQcancel(cancel, &buffer, Int32(buffer.count))
    }
}

/// Carries notices from libpq's C callback to whoever is listening.
private final class NoticeRelay: @unchecked Sendable {
    private let lock = NSLock()
    private var handler: (@Sendable (String, String) -> Void)?
    func set(_ h: (@Sendable (String, String) -> Void)?) { lock.withLock { handler = h } }
    func deliver(severity: String, message: String) {
        let h = lock.withLock { handler }
        h?(severity, message)
    }
}
