import Foundation
import GRDBSQLite

/// The sheet policy installed as a connection's authorizer: every action SQLite reports goes
/// to ``SQLiteSheetPolicy/decide(action:first:second:database:trigger:)``, and a denial makes
/// SQLite refuse the statement (`SQLITE_AUTH`, "not authorized") and is remembered.
///
/// Keep the guard enabled from the prepare of each sheet statement through its last step:
/// trigger bodies are checked at prepare time, but some actions are reported only while a
/// statement steps (a table-valued pragma such as `pragma_database_list`, the ATTACH inside
/// `VACUUM`). Disable it while Sluice runs its own statements on the same connection (the
/// history row, schema snapshots, and a plain `VACUUM`, which attaches a temporary database).
///
/// Typical use, per statement: ``reset()``, prepare and step, and on `SQLITE_AUTH` turn
/// ``denial`` into a ``SheetViolation`` with ``violation(for:in:)``. The guard serialises its
/// own state; a connection is used on one thread at a time, and so is the guard installed on it.
public final class SQLiteSheetGuard: @unchecked Sendable {
    private let lock = NSLock()
    private var enabled = true
    private var first: (verdict: SQLiteSheetPolicy.Verdict, trigger: String?)?

    public init() {}

    /// Whether the guard judges actions; when false it allows everything and remembers nothing.
    public var isEnabled: Bool {
        get { lock.withLock { enabled } }
        set { lock.withLock { enabled = newValue } }
    }

    /// The first denial since the last ``reset()``.
    public var denial: (construct: String, reason: String, hint: String)? {
        lock.withLock {
            guard case .deny(let construct, let reason, let hint) = first?.verdict.decision else { return nil }
            return (construct, reason, hint)
        }
    }

    /// Forgets the remembered denial; call it before each statement.
    public func reset() {
        lock.withLock { first = nil }
    }

    /// Makes this guard the authorizer of `connection`. The connection does not retain the
    /// guard: keep it alive until ``uninstall(from:)`` or until the connection is closed.
    public func install(on connection: OpaquePointer) {
        sqlite3_set_authorizer(connection, Self.callback, Unmanaged.passUnretained(self).toOpaque())
    }

    /// Removes any authorizer from `connection`.
    public static func uninstall(from connection: OpaquePointer) {
        sqlite3_set_authorizer(connection, nil, nil)
    }

    /// The authorizer callback; its context pointer must be an unretained `SQLiteSheetGuard`
    /// (``install(on:)`` passes one). Without a context it allows everything.
    public static let callback: @convention(c) (
        UnsafeMutableRawPointer?, Int32, UnsafePointer<CChar>?, UnsafePointer<CChar>?, UnsafePointer<CChar>?, UnsafePointer<CChar>?
    ) -> Int32 = { context, action, first, second, database, trigger in
        guard let context else { return SQLITE_OK }
        let guard_ = Unmanaged<SQLiteSheetGuard>.fromOpaque(context).takeUnretainedValue()
        return guard_.authorize(action: action, first: first.map { String(cString: $0) }, second: second.map { String(cString: $0) },
                                database: database.map { String(cString: $0) }, trigger: trigger.map { String(cString: $0) })
    }

    /// Judges one action: `SQLITE_OK` or `SQLITE_DENY`, remembering the first denial.
    public func authorize(action: Int32, first: String?, second: String?, database: String?, trigger: String?) -> Int32 {
        lock.withLock {
            guard enabled else { return SQLITE_OK }
            let verdict = SQLiteSheetPolicy.evaluate(action: action, first: first, second: second, database: database, trigger: trigger)
            guard case .deny = verdict.decision else { return SQLITE_OK }
            if self.first == nil { self.first = (verdict, trigger) }
            return SQLITE_DENY
        }
    }

    /// The remembered denial as a violation of `statement` of `source`, placed at the word that
    /// shows it (the COMMIT keyword, the written table's name, the function's name), or at the
    /// statement's start when no word does (an action of a trigger the statement fires).
    public func violation(for statement: SQLStatement, in source: String) -> SheetViolation? {
        violation(statementIndex: statement.index, start: statement.start, end: statement.end, in: source)
    }

    /// ``violation(for:in:)`` for the statement at UTF-8 bytes `start..<end` of `source`.
    public func violation(statementIndex: Int, start: Int, end: Int, in source: String) -> SheetViolation? {
        guard let (verdict, trigger) = lock.withLock({ first }),
              case .deny(let construct, let reason, let hint) = verdict.decision else { return nil }
        let utf8 = Array(source.utf8)
        let lower = min(max(start, 0), utf8.count)
        let text = String(decoding: utf8[lower..<min(max(end, lower), utf8.count)], as: UTF8.self)
        let offset = trigger == nil ? Self.locate(verdict.anchors, in: SQLiteWords(text)) : nil
        let position = LineIndex(source).position(ofByteOffset: lower + (offset ?? Self.firstWordOffset(text)))
        return SheetViolation(statementIndex: statementIndex, line: position.line, column: position.column,
                              construct: construct, reason: reason, hint: hint)
    }

    /// The byte offset of the first word matching the first anchor that matches any.
    static func locate(_ anchors: [SQLiteSheetPolicy.Anchor], in words: SQLiteWords) -> Int? {
        let targets = words.targets()
        for anchor in anchors {
            switch anchor {
            case .keyword(let keywords):
                if let word = words.words.first(where: { $0.keyword.map(keywords.contains) == true }) { return word.start }
            case .target(let name):
                let folded = SQLiteSheetPolicy.folded(name)
                if let target = targets.first(where: { $0.name.folded == folded }) { return target.name.start }
            case .name(let name):
                let folded = SQLiteSheetPolicy.folded(name)
                if let word = words.words.first(where: { $0.isName && $0.folded == folded }) { return word.start }
            }
        }
        return nil
    }

    private static func firstWordOffset(_ text: String) -> Int {
        SQLiteWords(text).words.first?.start ?? 0
    }
}
