import Foundation

/// Connections to the databases of one PostgreSQL instance, never more than its
/// `maxConnections` open at once in this process (busy and idle together). An idle connection
/// to the wanted database is reused; at the cap, an idle one to another database is closed to
/// make room; otherwise the caller waits.
final class PostgresConnectionPool: @unchecked Sendable {
    /// Idle connections older than this are closed (they hold a server backend each).
    static let idleSeconds: Double = 30
    static let waitSeconds: Double = 120

    private struct Idle { var database: String; var connection: PostgresConnection; var since: Double }

    private let cond = NSCondition()
    private var cap: Int
    private var open = 0
    private var idle: [Idle] = []

    init(cap: Int) { self.cap = max(1, cap) }

    /// Pools by instance (and workspace), for the whole process.
    private static let registryLock = NSLock()
    nonisolated(unsafe) private static var registry: [String: PostgresConnectionPool] = [:]

    static func pool(for target: PostgresTarget) -> PostgresConnectionPool {
        registryLock.withLock {
            if let p = registry[target.poolKey] { p.setCap(target.maxConnections); return p }
            let p = PostgresConnectionPool(cap: target.maxConnections)
            registry[target.poolKey] = p
            return p
        }
    }

    private func setCap(_ n: Int) { cond.withLock { cap = max(1, n) } }

    /// Closes every idle connection of every pool (busy ones are left alone).
    static func closeIdle() {
        let pools = registryLock.withLock { Array(registry.values) }
        for pool in pools {
            pool.cond.withLock {
                pool.open -= pool.idle.count
                pool.idle.removeAll()
                pool.cond.broadcast()
            }
        }
    }

    /// A connection to `target`'s database; give it back with `release`.
    func acquire(_ target: PostgresTarget) throws -> PostgresConnection {
        let deadline = Date().addingTimeInterval(Self.waitSeconds)
        cond.lock()
        while true {
            evictStale()
            if let i = idle.lastIndex(where: { $0.database == target.database }) {
                let reused = idle.remove(at: i).connection
                cond.unlock()
                // A server restart or pg_terminate_backend leaves idle connections dead: check first.
                if reused.isHealthy, (try? reused.ping()) != nil { return reused }
                return try replace(target)
            }
            if open < cap {
                open += 1
                cond.unlock()
                return try replace(target)
            }
            if !idle.isEmpty {
                let victim = idle.removeFirst()
                cond.unlock()
                _ = victim // closed when it goes out of scope (PQfinish in deinit)
                return try replace(target)
            }
            if !cond.wait(until: deadline) {
                cond.unlock()
                throw PostgresError(message: "all \(cap) connections to instance \(target.instance) stay busy (max-connections); try again later")
            }
        }
    }

    /// Opens a connection in a slot already counted in `open`; frees the slot if that fails.
    private func replace(_ target: PostgresTarget) throws -> PostgresConnection {
        do {
            return try PostgresConnection(conninfo: target.conninfo, database: target.database, password: try target.password(), user: target.loginUser)
        } catch {
            cond.withLock { open -= 1; cond.signal() }
            throw error
        }
    }

    /// Returns a connection. One left in a transaction, broken, or `reusable: false` is closed;
    /// one whose session a task changed is reset first (`DISCARD ALL`: a sheet's advisory locks,
    /// temporary tables and settings must not outlive its task while the connection idles).
    func release(_ connection: PostgresConnection, database: String, reusable: Bool = true) {
        connection.onNotice(nil)
        var keep = reusable && connection.isHealthy && connection.isIdle
        if keep && connection.dirty { keep = (try? connection.reset()) != nil }
        cond.withLock {
            if keep {
                idle.append(Idle(database: database, connection: connection, since: Date().timeIntervalSince1970))
            } else {
                open -= 1
            }
            cond.signal()
        }
    }

    /// Closes idle connections past their time (called with the lock held).
    private func evictStale() {
        let limit = Date().timeIntervalSince1970 - Self.idleSeconds
        let before = idle.count
        idle.removeAll { $0.since < limit }
        open -= before - idle.count
    }
}
