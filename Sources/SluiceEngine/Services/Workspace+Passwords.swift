import Foundation
import GRDB

/// One row of the sign-in throttle, for an admin to see.
public struct SignInThrottleEntry: Sendable, Codable, Equatable {
    /// "member" (an email, known or not) or "source".
    public var scope: String
    public var key: String
    public var failures: Int
    /// Attempts refused at once because a wait was running.
    public var refused: Int
    public var firstFailureAt: Date
    public var lastFailureAt: Date
    /// When the next attempt is accepted, if a wait is running.
    public var lockedUntil: Date?
    public var lastSource: String
}

extension Workspace {
    /// A member changes their own password, proving it with the current one (throttled like any sign-in).
    /// Every session of the member ends; the caller starts a new one if it wants.
    @discardableResult
    public func changePassword(email: String, current: String, new: String,
                               source: String = SignInSource.localUser) throws -> Principal {
        try validatePassword(new)
        guard new != current else {
            throw SluiceError.usage("the new password is the same as the current one", hint: "Choose a different password.")
        }
        let principal = try signIn(email: email, password: current, source: source).principal
        try storePassword(new, for: principal.email)
        return principal
    }

    /// An admin (members.manage) sets another member's password, e.g. when it was forgotten. The
    /// member's sessions end and their failed sign-ins are forgotten.
    public func resetPassword(by actor: Principal, email: String, new: String) throws {
        try store.read { db in try require(.membersManage, actor, to: "reset a member's password", db) }
        try validatePassword(new)
        let stored = try store.read { db in
            guard let stored = try String.fetchOne(db, sql: "SELECT email FROM member WHERE email = ?", arguments: [email]) else {
                throw SluiceError.notFound("no member \(email)", hint: "List members with `sluice member list`.")
            }
            return stored
        }
        try storePassword(new, for: stored, by: actor)
    }

    /// `email` as the member table spells it (sessions match it exactly).
    private func storePassword(_ password: String, for email: String, by actor: Principal? = nil) throws {
        let hash = try PasswordHasher.hash(password)
        try store.write { db in
            if let actor { try require(.membersManage, actor, to: "reset a member's password", db) }
            try db.execute(sql: "UPDATE member SET passwordHash = ? WHERE email = ?", arguments: [hash, email])
            guard db.changesCount == 1 else { throw SluiceError.notFound("no member \(email)") }
            try db.execute(sql: "DELETE FROM loginSession WHERE email = ?", arguments: [email])
            try db.execute(sql: "DELETE FROM signInThrottle WHERE scope = 'member' AND key = ?", arguments: [Workspace.throttleKey(email: email)])
        }
    }

    /// Recent failed sign-ins per member email and per source (members.manage).
    public func signInThrottles(by actor: Principal) throws -> [SignInThrottleEntry] {
        let at = now
        return try store.read { db in
            try require(.membersManage, actor, to: "see failed sign-ins", db)
            return try Row.fetchAll(db, sql: """
                SELECT * FROM signInThrottle WHERE lastFailureAt >= ? ORDER BY scope, lastFailureAt DESC
                """, arguments: [at - SignInPolicy.forgetAfter]).map { row in
                let until: Double = row["lockedUntil"]
                return SignInThrottleEntry(scope: row["scope"], key: row["key"], failures: row["failures"], refused: row["refused"],
                                           firstFailureAt: Date(timeIntervalSince1970: row["firstFailureAt"]),
                                           lastFailureAt: Date(timeIntervalSince1970: row["lastFailureAt"]),
                                           lockedUntil: until > at ? Date(timeIntervalSince1970: until) : nil,
                                           lastSource: row["lastSource"])
            }
        }
    }

    /// Forgets the failed sign-ins of a member email or of a source (members.manage). Returns whether there were any.
    @discardableResult
    public func clearSignInThrottle(by actor: Principal, member email: String? = nil, source: String? = nil) throws -> Bool {
        guard (email == nil) != (source == nil) else {
            throw SluiceError.usage("name either a member email or a source to unlock")
        }
        let (scope, key) = email.map { ("member", Workspace.throttleKey(email: $0)) } ?? ("source", SignInSource.normalised(source ?? ""))
        return try store.write { db in
            try require(.membersManage, actor, to: "clear failed sign-ins", db)
            try db.execute(sql: "DELETE FROM signInThrottle WHERE scope = ? AND key = ?", arguments: [scope, key])
            return db.changesCount > 0
        }
    }
}
