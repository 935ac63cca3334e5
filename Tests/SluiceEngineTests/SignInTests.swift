import Foundation
import GRDB
import Testing
@testable import SluiceEngine

/// A workspace with an admin and one member, on a clock the test moves.
final class SignInFixture: @unchecked Sendable {
    let dir = NSTemporaryDirectory() + "sluice-signin-" + UUID().uuidString
    let clock = ManualClock()
    let ws: Workspace
    let admin: Principal
    static let adminPassword = "admin-password"
    static let devPassword = "dev-password-ok"

    init() throws {
        PasswordHasher.useTestCost()
        ws = try Workspace(home: dir, create: true, clock: clock)
        admin = try ws.initialise(adminEmail: "admin@example.com", password: Self.adminPassword)
        _ = try ws.addMember(by: admin, email: "dev@example.com", role: "member", password: Self.devPassword)
    }

    deinit { try? FileManager.default.removeItem(atPath: dir) }

    func storedHash(_ email: String) throws -> String {
        try ws.store.read { db in try String.fetchOne(db, sql: "SELECT passwordHash FROM member WHERE email = ?", arguments: [email]) ?? "" }
    }

    /// Writes a hash straight into the metastore, as an older Sluice (or someone with the file) would have.
    func plant(_ hash: String, for email: String) throws {
        try ws.store.write { db in try db.execute(sql: "UPDATE member SET passwordHash = ? WHERE email = ?", arguments: [hash, email]) }
    }

    /// The error of a sign-in that must fail.
    func refusal(_ email: String, _ password: String, source: String = "test source") -> SluiceError? {
        do {
            _ = try ws.signIn(email: email, password: password, source: source)
            return nil
        } catch let e as SluiceError { return e } catch { return SluiceError.failure("\(error)") }
    }
}

@Suite struct SignInThrottleTests {
    /// Known and unknown emails behave identically: five failures are free, then each attempt
    /// waits 1 s, 2 s, … and an attempt during the wait is refused without checking the password.
    @Test(arguments: ["dev@example.com", "nobody@example.com"])
    func fiveFailuresThenADoublingWaitDuringWhichThePasswordIsNotChecked(email: String) throws {
        let f = try SignInFixture()
        for _ in 0..<5 {
            let e = try #require(f.refusal(email, "wrong password!"))
            #expect(e.kind == .permissionDenied)
            #expect(e.message == "sign-in failed for \(email): unknown member or wrong password")
        }
        // The right password (for the known member) is refused too: it is not even checked.
        let waiting = try #require(f.refusal(email, SignInFixture.devPassword))
        #expect(waiting.message == "too many failed sign-ins for \(email); try again in 1 s")
        #expect(waiting.kind == .permissionDenied)

        f.clock.advance(by: 1)
        #expect(f.refusal(email, "wrong again!!")?.message.contains("wrong password") == true)
        #expect(f.refusal(email, SignInFixture.devPassword)?.message == "too many failed sign-ins for \(email); try again in 2 s")
        f.clock.advance(by: 1.5)
        #expect(f.refusal(email, SignInFixture.devPassword)?.message == "too many failed sign-ins for \(email); try again in 1 s")
        f.clock.advance(by: 0.5)
        if email == "dev@example.com" {
            #expect(try f.ws.signIn(email: email, password: SignInFixture.devPassword, source: "test source").principal.email == email)
            // A success clears the member's count: five more failures are free again.
            for _ in 0..<5 { #expect(f.refusal(email, "wrong password!")?.message.contains("wrong password") == true) }
            #expect(f.refusal(email, "wrong password!")?.message.hasPrefix("too many failed sign-ins") == true)
        } else {
            #expect(f.refusal(email, "anything at all")?.message.contains("wrong password") == true)
        }
    }

    @Test(arguments: [(4, 0.0), (5, 1), (6, 2), (7, 4), (14, 512), (15, 900), (40, 900), (Int.max / 2, 900)] as [(Int, Double)])
    func theWaitDoublesFromOneSecondAndStopsAtFifteenMinutes(failures: Int, seconds: Double) {
        #expect(SignInPolicy.delay(afterFailures: failures, free: SignInPolicy.freeMemberFailures) == seconds)
    }

    /// One source spraying many emails is slowed down after 20 failures, whatever the email;
    /// another source is not.
    @Test func aSourceIsThrottledAcrossEmails() throws {
        let f = try SignInFixture()
        let spray = "address 203.0.113.5"
        for i in 0..<SignInPolicy.freeSourceFailures {
            #expect(f.refusal("guess\(i)@example.com", "wrong password!", source: spray)?.message.contains("wrong password") == true)
        }
        let refused = try #require(f.refusal("dev@example.com", SignInFixture.devPassword, source: spray))
        #expect(refused.message == "too many failed sign-ins from \(spray); try again in 1 s")
        #expect(try f.ws.signIn(email: "dev@example.com", password: SignInFixture.devPassword, source: "address 198.51.100.7").principal.email
                == "dev@example.com")
        f.clock.advance(by: 1)
        #expect(try f.ws.signIn(email: "dev@example.com", password: SignInFixture.devPassword, source: spray).principal.email == "dev@example.com")
    }

    /// Attempts made at the same moment cannot slip past the count: each is counted before its
    /// password is checked, so exactly five are checked and the rest wait.
    @Test func parallelAttemptsAreCountedBeforeTheirPasswordIsChecked() throws {
        let f = try SignInFixture()
        let messages = NSLock()
        nonisolated(unsafe) var seen: [String] = []
        DispatchQueue.concurrentPerform(iterations: 24) { i in
            let m = f.refusal("dev@example.com", "wrong password \(i)", source: "parallel \(i)")?.message ?? "signed in"
            messages.withLock { seen.append(m) }
        }
        #expect(seen.filter { $0.contains("wrong password") }.count == 5)
        #expect(seen.filter { $0.hasPrefix("too many failed sign-ins for dev@example.com") }.count == 19)
    }

    @Test func anAdminSeesAndClearsTheCounts() throws {
        let f = try SignInFixture()
        for _ in 0..<6 { _ = f.refusal("dev@example.com", "wrong password!", source: "uid 1000 tty /dev/pts/3") }
        let dev = Principal(email: "dev@example.com", name: "Dev", role: "member")
        #expect(throws: SluiceError.self) { try f.ws.signInThrottles(by: dev) }
        let rows = try f.ws.signInThrottles(by: f.admin)
        let member = try #require(rows.first { $0.scope == "member" })
        #expect(member.key == "dev@example.com" && member.failures == 5 && member.refused == 1)
        #expect(member.lockedUntil == f.clock.now().addingTimeInterval(1))
        #expect(member.lastSource == "uid 1000 tty /dev/pts/3")
        #expect(rows.contains { $0.scope == "source" && $0.key == "uid 1000 tty /dev/pts/3" && $0.failures == 5 })

        #expect(throws: SluiceError.self) { try f.ws.clearSignInThrottle(by: dev, member: "dev@example.com") }
        #expect(try f.ws.clearSignInThrottle(by: f.admin, member: "DEV@example.com"))
        #expect(try f.ws.signIn(email: "dev@example.com", password: SignInFixture.devPassword, source: "x").principal.email == "dev@example.com")
        #expect(try f.ws.clearSignInThrottle(by: f.admin, member: "dev@example.com") == false)

        // Counts older than a day are forgotten.
        for _ in 0..<5 { _ = f.refusal("dev@example.com", "wrong password!") }
        f.clock.advance(by: SignInPolicy.forgetAfter + 1)
        #expect(try f.ws.signInThrottles(by: f.admin).isEmpty)
        #expect(f.refusal("dev@example.com", "wrong password!")?.message.contains("wrong password") == true)
    }
}

@Suite struct SignInTimingTests {
    /// An unknown email costs what a wrong password for a known member costs: both run scrypt
    /// with the parameters new hashes get (the unknown one against a decoy).
    @Test func unknownAndKnownMembersTakeTheSameTime() throws {
        let f = try SignInFixture()
        #expect(PasswordHasher.cost(of: try f.storedHash("dev@example.com")) == PasswordHasher.costForNewHashes)
        func seconds(_ email: String, _ i: Int) throws -> Double {
            _ = try f.ws.clearSignInThrottle(by: f.admin, member: email)
            let start = DispatchTime.now().uptimeNanoseconds
            _ = f.refusal(email, "wrong password!", source: "timing \(i)")
            return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        }
        var known: [Double] = [], unknown: [Double] = [], scrypt: [Double] = []
        let decoy = PasswordHasher.decoy(cost: PasswordHasher.costForNewHashes)
        for i in 0..<41 {
            known.append(try seconds("dev@example.com", i))
            unknown.append(try seconds("nobody\(i)@example.com", i))
            let start = DispatchTime.now().uptimeNanoseconds
            _ = PasswordHasher.check("wrong password!", against: decoy)
            scrypt.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
        }
        func median(_ xs: [Double]) -> Double { xs.sorted()[xs.count / 2] }
        let (k, u, s) = (median(known), median(unknown), median(scrypt))
        // Structural: the unknown path includes a whole scrypt computation.
        #expect(u >= 0.9 * s, "unknown \(u * 1000) ms, one scrypt \(s * 1000) ms")
        #expect(u / k > 0.75 && u / k < 1.33, "known \(k * 1000) ms, unknown \(u * 1000) ms")
    }
}

@Suite struct PasswordRuleTests {
    /// Length counts characters as a person sees them; control characters are refused; the
    /// message says how long it is and what is needed, and never shows the password.
    @Test(arguments: [
        ("abcdefghijk", "too short: 11 characters, at least 12 are needed"),
        ("abcdefghijkl", nil),
        ("", "too short: 0 characters"),
        ("a", "too short: 1 character, at least 12"),
        (String(repeating: "\u{e9}", count: 11), "too short: 11 characters"),
        (String(repeating: "e\u{301}", count: 12), nil),                  // 24 scalars, 12 characters
        (String(repeating: "\u{1F469}\u{200D}\u{1F469}\u{200D}\u{1F467}", count: 11), "too short: 11 characters"), // 198 bytes
        ("パスワードは十二文字です", nil),
        ("            ", nil),                                             // twelve spaces: length is the rule
        ("abc\tdefghijklm", "control character (character 4)"),
        ("abcdefghijklm\u{0}", "control character (character 14)"),
        ("abcdef\u{1B}[31mghijkl", "control character (character 7)"),
        ("abcdefghijkl\u{85}", "control character (character 13)"),
        (String(repeating: "x", count: 1024), nil),
        (String(repeating: "x", count: 1025), "too long: 1025 characters, at most 1024"),
    ] as [(String, String?)])
    func newPasswordsFollowTheLengthRules(password: String, refusal: String?) throws {
        let f = try SignInFixture()
        do {
            _ = try f.ws.addMember(by: f.admin, email: "new@example.com", role: "member", password: password)
            #expect(refusal == nil, "accepted a password that should be refused")
            #expect(try f.ws.authenticate(email: "new@example.com", password: password, source: "t").email == "new@example.com")
        } catch let e as SluiceError {
            let expected = try #require(refusal, "refused: \(e.message)")
            #expect(e.kind == .usage)
            #expect(e.message.contains(expected), "\(e.message)")
            if password.count >= 3 { #expect(!e.description.contains(password)) }
        }
    }

    @Test func theSameRulesApplyToInitChangeAndReset() throws {
        let home = NSTemporaryDirectory() + "sluice-signin-init-" + UUID().uuidString
        defer { try? FileManager.default.removeItem(atPath: home) }
        PasswordHasher.useTestCost()
        let fresh = try Workspace(home: home, create: true)
        let initial = try #require(throws: SluiceError.self) { try fresh.initialise(adminEmail: "a@example.com", password: "pw-admin") }
        #expect(initial.message == "the password is too short: 8 characters, at least 12 are needed")
        let f = try SignInFixture()
        let change = try #require(throws: SluiceError.self) {
            try f.ws.changePassword(email: "dev@example.com", current: SignInFixture.devPassword, new: "short")
        }
        #expect(change.message.contains("too short: 5 characters"))
        let reset = try #require(throws: SluiceError.self) { try f.ws.resetPassword(by: f.admin, email: "dev@example.com", new: "short") }
        #expect(reset.message.contains("too short: 5 characters"))
        // A refused new password costs no sign-in attempt.
        #expect(try f.ws.signInThrottles(by: f.admin).isEmpty)
    }

    /// A password set before the minimum rose still signs in, and the front end is told to ask for a change.
    @Test func anOldShortPasswordStillSignsInWithANotice() throws {
        let f = try SignInFixture()
        try f.plant(try PasswordHasher.hash("sluice", cost: .test), for: "dev@example.com")
        let result = try f.ws.signIn(email: "dev@example.com", password: "sluice", source: "t")
        #expect(result.principal.email == "dev@example.com")
        #expect(result.mustChangePassword)
        #expect(result.notice == "your password has 6 characters; passwords now need at least 12. It still works, but please change it.")
        let ok = try f.ws.signIn(email: "admin@example.com", password: SignInFixture.adminPassword, source: "t")
        #expect(!ok.mustChangePassword && ok.notice == nil)
    }

    @Test func membersChangeTheirOwnPasswordAndAdminsResetOthers() throws {
        let f = try SignInFixture()
        let dev = try f.ws.authenticate(email: "dev@example.com", password: SignInFixture.devPassword, source: "t")
        let token = try f.ws.createSession(for: dev)

        // The current password is checked like a sign-in: a wrong one counts as a failure.
        #expect(throws: SluiceError.self) { try f.ws.changePassword(email: "dev@example.com", current: "not my password", new: "a new password 1") }
        #expect(try f.ws.signInThrottles(by: f.admin).first { $0.scope == "member" }?.failures == 1)
        #expect(throws: SluiceError.usage("the new password is the same as the current one", hint: "Choose a different password.")) {
            try f.ws.changePassword(email: "dev@example.com", current: SignInFixture.devPassword, new: SignInFixture.devPassword)
        }
        try f.ws.changePassword(email: "dev@example.com", current: SignInFixture.devPassword, new: "a new password 1")
        #expect(f.refusal("dev@example.com", SignInFixture.devPassword) != nil)
        #expect(try f.ws.authenticate(email: "dev@example.com", password: "a new password 1", source: "t") == dev)
        #expect(try f.ws.principal(forSession: token) == nil, "a password change ends the member's sessions")

        // Only members.manage may set another member's password; it clears their failures.
        let again = try f.ws.createSession(for: dev)
        let denied = try #require(throws: SluiceError.self) { try f.ws.resetPassword(by: dev, email: "admin@example.com", new: "taken over 123") }
        #expect(denied.kind == .permissionDenied)
        for _ in 0..<5 { _ = f.refusal("dev@example.com", "forgotten password") }
        try f.ws.resetPassword(by: f.admin, email: "DEV@example.com", new: "set by the admin")
        #expect(try f.ws.authenticate(email: "dev@example.com", password: "set by the admin", source: "t") == dev)
        #expect(try f.ws.principal(forSession: again) == nil)
        #expect(throws: SluiceError.notFound("no member ghost@example.com", hint: "List members with `sluice member list`.")) {
            try f.ws.resetPassword(by: f.admin, email: "ghost@example.com", new: "set by the admin")
        }
    }
}
