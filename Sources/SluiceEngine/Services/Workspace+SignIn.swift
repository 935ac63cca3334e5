import Foundation
import GRDB

/// A successful sign-in: the member, and whether their password should be changed.
public struct SignInResult: Sendable, Equatable {
    public var principal: Principal
    /// The password is shorter than `SignInPolicy.minimumPasswordLength`: it still signs in, but
    /// the front end should ask the member to change it.
    public var mustChangePassword: Bool
    /// What to tell the member, when there is something to tell (no front-end command names).
    public var notice: String?
}

extension Workspace {
    /// Checks an email and password, throttled per member email and per source.
    ///
    /// - While a wait is running for the email or the source, the attempt is refused at once and
    ///   the password is not checked.
    /// - The attempt is counted as a failure before the password is checked (and uncounted on
    ///   success), so attempts made in parallel cannot slip past the count.
    /// - An unknown member costs the same as a wrong password: scrypt runs against a decoy hash
    ///   with the parameters new hashes get. A stored hash whose parameters are past the limits
    ///   is never computed; the decoy runs instead and the sign-in fails.
    /// - A right password whose hash is weaker than `PasswordHasher.costForNewHashes` is rehashed.
    ///
    /// Every failure says the same thing whether or not the member exists.
    public func signIn(email: String, password: String, source: String) throws -> SignInResult {
        let memberKey = Workspace.throttleKey(email: email)
        let sourceKey = SignInSource.normalised(source)
        let at = now
        let gate = try store.write { db -> SignInGate in
            try db.execute(sql: "DELETE FROM signInThrottle WHERE lastFailureAt < ?", arguments: [at - SignInPolicy.forgetAfter])
            for (scope, key) in [("member", memberKey), ("source", sourceKey)] {
                if let until = try Double.fetchOne(db, sql: "SELECT lockedUntil FROM signInThrottle WHERE scope = ? AND key = ?",
                                                   arguments: [scope, key]), until > at {
                    try db.execute(sql: "UPDATE signInThrottle SET refused = refused + 1 WHERE scope = ? AND key = ?", arguments: [scope, key])
                    return .wait(scope: scope, seconds: Int((until - at).rounded(.up)))
                }
            }
            try recordFailure(db, scope: "member", key: memberKey, source: sourceKey, at: at, free: SignInPolicy.freeMemberFailures)
            try recordFailure(db, scope: "source", key: sourceKey, source: sourceKey, at: at, free: SignInPolicy.freeSourceFailures)
            let row = try Row.fetchOne(db, sql: "SELECT email, name, role, passwordHash FROM member WHERE email = ?", arguments: [email])
            let waitAfter = try Double.fetchOne(db, sql: "SELECT lockedUntil FROM signInThrottle WHERE scope = 'member' AND key = ?",
                                                arguments: [memberKey]) ?? 0
            return .check(member: row.map { (Principal(email: $0["email"], name: $0["name"], role: $0["role"]), $0["passwordHash"]) },
                          waitAfterFailure: waitAfter > at ? Int((waitAfter - at).rounded(.up)) : 0)
        }

        let member: (Principal, String)?
        let waitAfterFailure: Int
        switch gate {
        case let .wait(scope, seconds):
            let subject = scope == "member" ? "for \(email)" : "from \(sourceKey)"
            throw SluiceError(.permissionDenied, "too many failed sign-ins \(subject); try again in \(seconds) s",
                              hint: "After \(scope == "member" ? SignInPolicy.freeMemberFailures : SignInPolicy.freeSourceFailures) failures in a row each attempt waits, "
                                  + "doubling from 1 s to 15 min; the password was not checked. A workspace admin can clear the count (`sluice member unlock`).")
        case let .check(found, wait):
            member = found
            waitAfterFailure = wait
        }

        let fresh = PasswordHasher.costForNewHashes
        var verdict = PasswordHasher.check(password, against: member?.1 ?? PasswordHasher.decoy(cost: fresh))
        if case .unusable(let why) = verdict {
            // Damaged or planted: spend what a real check costs, then fail like a wrong password.
            logger.warning("sign-in for \(email.debugDescription): its stored password hash was not used (\(why))")
            _ = PasswordHasher.check(password, against: PasswordHasher.decoy(cost: fresh))
            verdict = .mismatch
        }
        guard let (principal, storedHash) = member, case .match(let cost) = verdict else {
            let later = waitAfterFailure > 0 ? " Too many failures: the next attempt for \(email) is accepted in \(waitAfterFailure) s." : ""
            throw SluiceError(.permissionDenied, "sign-in failed for \(email): unknown member or wrong password",
                              hint: "Check the email and password (SLUICE_PASSWORD, --password-stdin or `sluice login`).\(later)")
        }

        let upgraded = cost.isWeaker(than: fresh) ? try? PasswordHasher.hash(password, cost: fresh) : nil
        try store.write { db in
            try db.execute(sql: "DELETE FROM signInThrottle WHERE scope = 'member' AND key = ?", arguments: [memberKey])
            try undoFailure(db, scope: "source", key: sourceKey, free: SignInPolicy.freeSourceFailures)
            if let upgraded {
                // Only if nobody changed the password meanwhile.
                try db.execute(sql: "UPDATE member SET passwordHash = ? WHERE email = ? AND passwordHash = ?",
                               arguments: [upgraded, principal.email, storedHash])
            }
        }
        let length = password.count
        let short = length < SignInPolicy.minimumPasswordLength
        return SignInResult(principal: principal, mustChangePassword: short,
                            notice: short ? "your password has \(length) characters; passwords now need at least "
                                + "\(SignInPolicy.minimumPasswordLength). It still works, but please change it." : nil)
    }

    private enum SignInGate {
        case wait(scope: String, seconds: Int)
        case check(member: (Principal, String)?, waitAfterFailure: Int)
    }

    /// The member throttle key: the email folded to lower case; an absurdly long one by its digest
    /// (no member can have it, and the table stays small).
    static func throttleKey(email: String) -> String {
        let folded = email.lowercased()
        return folded.count <= 320 ? folded : "sha256:" + PasswordHasher.sha256Hex(folded)
    }

    private func recordFailure(_ db: Database, scope: String, key: String, source: String, at: Double, free: Int) throws {
        let failures = (try Int.fetchOne(db, sql: "SELECT failures FROM signInThrottle WHERE scope = ? AND key = ?",
                                         arguments: [scope, key]) ?? 0) + 1
        let delay = SignInPolicy.delay(afterFailures: failures, free: free)
        try db.execute(sql: """
            INSERT INTO signInThrottle (scope, key, failures, firstFailureAt, lastFailureAt, lockedUntil, lastSource)
            VALUES (?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT(scope, key) DO UPDATE SET failures = excluded.failures, lastFailureAt = excluded.lastFailureAt,
                lockedUntil = excluded.lockedUntil, lastSource = excluded.lastSource
            """, arguments: [scope, key, failures, at, at, delay > 0 ? at + delay : 0, source])
    }

    /// Takes back the failure counted in advance for an attempt that succeeded.
    private func undoFailure(_ db: Database, scope: String, key: String, free: Int) throws {
        guard let row = try Row.fetchOne(db, sql: "SELECT failures, lastFailureAt FROM signInThrottle WHERE scope = ? AND key = ?",
                                         arguments: [scope, key]) else { return }
        let failures: Int = row["failures"] - 1
        guard failures > 0 else {
            try db.execute(sql: "DELETE FROM signInThrottle WHERE scope = ? AND key = ?", arguments: [scope, key])
            return
        }
        let last: Double = row["lastFailureAt"]
        let delay = SignInPolicy.delay(afterFailures: failures, free: free)
        try db.execute(sql: "UPDATE signInThrottle SET failures = ?, lockedUntil = ? WHERE scope = ? AND key = ?",
                       arguments: [failures, delay > 0 ? last + delay : 0, scope, key])
    }
}
