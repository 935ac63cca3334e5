import Foundation
import GRDBSQLite

/// An error reported by SQLite, with the byte offset of the faulty token when SQLite knows it.
struct SQLiteError: Error, CustomStringConvertible {
    var code: Int32
    var message: String
    /// Byte offset into the SQL passed to prepare, when SQLite reports one.
    var offset: Int?
    var description: String { message }
    var isInterrupt: Bool { code & 0xff == SQLITE_INTERRUPT }
}

/// A value read from or bound to SQLite.
enum SQLiteValue: Sendable, Equatable {
    case null, integer(Int64), real(Double), text(String)

    var text: String? { if case .text(let s) = self { return s }; return nil }
    var integer: Int64? { if case .integer(let i) = self { return i }; return nil }
    var real: Double? {
        switch self { case .real(let d): return d; case .integer(let i): return Double(i); default: return nil }
    }
}

private let transientDestructor = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

/// One connection to a target SQLite file, owned by a single thread (only `interrupt` may be called from another).
final class SQLiteConnection {
    let handle: OpaquePointer
    let path: String
    private var watched: UnsafeMutableRawPointer?

    /// Opens an existing database file read-write; a missing file is an error (targets are never created by accident).
    init(path: String, busyTimeoutMs: Int32 = 5000) throws {
        self.path = path
        guard FileManager.default.fileExists(atPath: path) else {
            throw SQLiteError(code: SQLITE_CANTOPEN, message: "database file \(path) does not exist")
        }
        var db: OpaquePointer?
        let rc = sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, nil)
        guard rc == SQLITE_OK, let db else {
            let message = db.map { String(cString: sqlite3_errmsg($0)) } ?? "cannot open"
            if let db { sqlite3_close_v2(db) }
            throw SQLiteError(code: rc, message: "cannot open \(path): \(message)")
        }
        handle = db
        sqlite3_busy_timeout(db, busyTimeoutMs)
        sqlite3_extended_result_codes(db, 1)
    }

    deinit {
        unwatch()
        sqlite3_close_v2(handle)
    }

    var lastError: SQLiteError {
        let offset = sqlite3_error_offset(handle)
        return SQLiteError(code: sqlite3_extended_errcode(handle), message: String(cString: sqlite3_errmsg(handle)),
                           offset: offset >= 0 ? Int(offset) : nil)
    }

    var totalChanges: Int64 { sqlite3_total_changes64(handle) }
    var isAutocommit: Bool { sqlite3_get_autocommit(handle) != 0 }

    /// Interrupts the running statement; `sqlite3_interrupt` is safe from another thread while
    /// the connection is open (CancellationHandle guarantees it is not called after close).
    struct Interrupter: @unchecked Sendable {
        let handle: OpaquePointer
        func interrupt() { sqlite3_interrupt(handle) }
    }

    var interrupter: Interrupter { Interrupter(handle: handle) }

    /// Makes the connection stop with SQLITE_INTERRUPT once `cancel` is raised or `deadline`
    /// (uptime nanoseconds) passes, even between statements (`sqlite3_interrupt` alone is lost
    /// when nothing runs) and without needing another thread to wake up: a progress handler
    /// polls both every few thousand VM steps. Call `unwatch()` before the handle goes away.
    @discardableResult
    func watch(_ cancel: CancellationHandle, deadline: UInt64? = nil, memoryCap: Int64? = nil) -> Watch {
        unwatch()
        let watch = Watch(cancel: cancel, deadline: deadline, memoryCap: memoryCap.map { (handle, $0) })
        let context = Unmanaged.passRetained(watch).toOpaque()
        watched = context
        sqlite3_progress_handler(handle, 4096, { ctx in
            guard let ctx else { return 0 }
            return Unmanaged<Watch>.fromOpaque(ctx).takeUnretainedValue().shouldStop() ? 1 : 0
        }, context)
        return watch
    }

    /// What a watched connection polls; `timedOut` and `overMemory` tell afterwards what stopped it.
    /// The caller also polls it between statements: SQLite's progress handler counts the steps of
    /// one statement, so a sheet of many short statements never reaches it.
    final class Watch: @unchecked Sendable {
        let cancel: CancellationHandle
        let deadline: UInt64?
        /// The connection and the most its page cache may hold (a dry run that keeps its changes in memory).
        let memoryCap: (OpaquePointer, Int64)?
        private let flag = LockedFlag()
        private let memoryFlag = LockedFlag()
        init(cancel: CancellationHandle, deadline: UInt64?, memoryCap: (OpaquePointer, Int64)? = nil) {
            self.cancel = cancel; self.deadline = deadline; self.memoryCap = memoryCap
        }
        var timedOut: Bool { flag.value }
        var overMemory: Bool { memoryFlag.value }
        func shouldStop() -> Bool {
            if cancel.isCanceled { return true }
            if let deadline, DispatchTime.now().uptimeNanoseconds >= deadline { flag.set(); return true }
            if let (handle, cap) = memoryCap {
                var current: Int32 = 0, highwater: Int32 = 0
                sqlite3_db_status(handle, SQLITE_DBSTATUS_CACHE_USED, &current, &highwater, 0)
                if Int64(current) > cap { memoryFlag.set(); return true }
            }
            return false
        }
    }

    func unwatch() {
        sqlite3_progress_handler(handle, 0, nil, nil)
        if let watched { Unmanaged<Watch>.fromOpaque(watched).release() }
        watched = nil
    }

    /// Runs SQL with no results (may hold several statements).
    func execute(_ sql: String) throws {
        guard sqlite3_exec(handle, sql, nil, nil, nil) == SQLITE_OK else { throw lastError }
    }

    /// Runs one statement with arguments and returns its rows.
    @discardableResult
    func query(_ sql: String, _ args: [SQLiteValue] = []) throws -> [[SQLiteValue]] {
        var stmt: OpaquePointer?
        guard sqlite3_prepare_v2(handle, sql, -1, &stmt, nil) == SQLITE_OK, let stmt else { throw lastError }
        defer { sqlite3_finalize(stmt) }
        for (i, arg) in args.enumerated() {
            let idx = Int32(i + 1)
            switch arg {
            case .null: sqlite3_bind_null(stmt, idx)
            case .integer(let v): sqlite3_bind_int64(stmt, idx, v)
            case .real(let v): sqlite3_bind_double(stmt, idx, v)
            case .text(let v): sqlite3_bind_text(stmt, idx, v, -1, transientDestructor)
            }
        }
        var rows: [[SQLiteValue]] = []
        while true {
            let rc = sqlite3_step(stmt)
            if rc == SQLITE_DONE { break }
            guard rc == SQLITE_ROW else { throw lastError }
            rows.append(SQLiteConnection.readRow(stmt))
        }
        return rows
    }

    static func readRow(_ stmt: OpaquePointer) -> [SQLiteValue] {
        (0..<sqlite3_column_count(stmt)).map { i in
            switch sqlite3_column_type(stmt, i) {
            case SQLITE_INTEGER: return .integer(sqlite3_column_int64(stmt, i))
            case SQLITE_FLOAT: return .real(sqlite3_column_double(stmt, i))
            case SQLITE_NULL: return .null
            default: return .text(sqlite3_column_text(stmt, i).map { String(cString: $0) } ?? "")
            }
        }
    }

    /// Prepares and runs every statement of a script in turn, with SQLite itself deciding where
    /// each statement ends (the prepare tail). `body` sees each statement before it runs.
    /// Errors carry the byte offset of the statement (and of the faulty token when SQLite reports it).
    func forEachStatement(_ script: String, _ visit: (_ start: Int, _ end: Int, _ run: () throws -> Void) throws -> Void) throws {
        var bytes = Array(script.utf8)
        bytes.append(0)
        try bytes.withUnsafeBufferPointer { buffer in
            guard let base = buffer.baseAddress else { return }
            try base.withMemoryRebound(to: CChar.self, capacity: buffer.count) { start in
                var cursor = start
                let endPtr = start + (buffer.count - 1)
                while cursor < endPtr {
                    var stmt: OpaquePointer?
                    var tail: UnsafePointer<CChar>?
                    let offset = cursor - start
                    let rc = sqlite3_prepare_v2(handle, cursor, Int32(endPtr - cursor), &stmt, &tail)
                    if rc != SQLITE_OK {
                        var e = lastError
                        e.offset = offset + (e.offset ?? SQLiteConnection.skipTrivia(bytes, from: offset) - offset)
                        throw StatementFailure(error: e, start: SQLiteConnection.skipTrivia(bytes, from: offset), end: nil)
                    }
                    let next = tail ?? endPtr
                    defer { cursor = next }
                    guard let stmt else { continue } // whitespace or comments only
                    let stmtStart = SQLiteConnection.skipTrivia(bytes, from: offset)
                    let stmtEnd = next - start
                    defer { sqlite3_finalize(stmt) }
                    try visit(stmtStart, stmtEnd) {
                        while true {
                            let src = sqlite3_step(stmt)
                            if src == SQLITE_DONE { return }
                            if src == SQLITE_ROW { continue }
                            throw StatementFailure(error: self.lastError, start: stmtStart, end: stmtEnd)
                        }
                    }
                }
            }
        }
    }

    /// Skips whitespace and comments from a byte offset.
    static func skipTrivia(_ b: [UInt8], from offset: Int) -> Int {
        var i = offset
        let n = b.count - 1 // trailing NUL
        while i < n {
            let c = b[i]
            if c == 0x20 || c == 0x09 || c == 0x0a || c == 0x0d || c == 0x0c { i += 1; continue }
            if c == 0x2d, i + 1 < n, b[i + 1] == 0x2d { // --
                while i < n, b[i] != 0x0a { i += 1 }
                continue
            }
            if c == 0x2f, i + 1 < n, b[i + 1] == 0x2a { // /*
                i += 2
                while i + 1 < n, !(b[i] == 0x2a && b[i + 1] == 0x2f) { i += 1 }
                i = min(n, i + 2)
                continue
            }
            break
        }
        return i
    }
}

/// A statement that failed, with where it sits in the script.
struct StatementFailure: Error {
    var error: SQLiteError
    var start: Int
    var end: Int?
}
