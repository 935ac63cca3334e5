import Foundation
import Testing
@testable import SluiceEngine

/// scrypt parameters: current guidance for new hashes, upgrade at sign-in, limits on stored ones.
@Suite struct PasswordHashTests {
    @Test func newHashesUseCurrentGuidanceUnlessTheTestCostWasChosen() throws {
        #expect(PasswordCost.current == PasswordCost(n: 1 << 17, r: 8, p: 1))
        let hash = try PasswordHasher.hash("a real password", cost: .current)
        #expect(hash.hasPrefix("scrypt$131072$8$1$"))
        #expect(PasswordHasher.check("a real password", against: hash) == .match(.current))
        PasswordHasher.useTestCost()
        #expect(PasswordHasher.costForNewHashes == .test)
        #expect(try PasswordHasher.hash("x").hasPrefix("scrypt$1024$8$1$"))
    }

    /// A right password whose hash is weaker than what new hashes get is rehashed at sign-in;
    /// a stronger one is kept, and a wrong password changes nothing.
    @Test func aWeakerStoredHashIsUpgradedAtTheNextSignIn() throws {
        let f = try SignInFixture()
        let weak = PasswordCost(n: 16, r: 8, p: 1)
        let planted = try PasswordHasher.hash(SignInFixture.devPassword, cost: weak)
        try f.plant(planted, for: "dev@example.com")
        _ = f.refusal("dev@example.com", "wrong password!")
        #expect(try f.storedHash("dev@example.com") == planted)
        _ = try f.ws.signIn(email: "dev@example.com", password: SignInFixture.devPassword, source: "t")
        let upgraded = try f.storedHash("dev@example.com")
        #expect(PasswordHasher.cost(of: upgraded) == PasswordHasher.costForNewHashes)
        #expect(PasswordHasher.verify(SignInFixture.devPassword, against: upgraded))

        let strong = try PasswordHasher.hash(SignInFixture.devPassword, cost: .legacy)
        try f.plant(strong, for: "dev@example.com")
        _ = try f.ws.signIn(email: "dev@example.com", password: SignInFixture.devPassword, source: "t")
        #expect(try f.storedHash("dev@example.com") == strong)
    }

    static let salt = Data(repeating: 7, count: 16).base64EncodedString()
    static let key = Data(repeating: 9, count: 32).base64EncodedString()

    /// A hash someone planted in the metastore cannot make sign-in allocate gigabytes or spin:
    /// past the limits it is never computed, and the sign-in fails like a wrong password.
    @Test(arguments: [
        "scrypt$1073741824$8$1$\(salt)$\(key)",          // N=2^30: 128 GiB
        "scrypt$1048576$32$1$\(salt)$\(key)",            // N=2^20, r=32: each bound alone allows it, 4 GiB
        "scrypt$2097152$1$1$\(salt)$\(key)",             // N=2^21
        "scrypt$1000$8$1$\(salt)$\(key)",                // N not a power of two
        "scrypt$1$8$1$\(salt)$\(key)",
        "scrypt$1024$0$1$\(salt)$\(key)",
        "scrypt$1024$33$1$\(salt)$\(key)",
        "scrypt$1024$8$0$\(salt)$\(key)",
        "scrypt$1024$8$17$\(salt)$\(key)",
        "scrypt$65536$32$16$\(salt)$\(key)",             // 256 MiB but 2^25 work
        "scrypt$-1024$8$1$\(salt)$\(key)",
        "scrypt$1e4$8$1$\(salt)$\(key)",
        "scrypt$99999999999999999999$8$1$\(salt)$\(key)",
        "scrypt$1024$8$1$$\(key)",                       // no salt
        "scrypt$1024$8$1$\(salt)$AAAA",                  // 3-byte key
        "scrypt$1024$8$1$\(salt)$\(key)$extra",
        "scrypt$1024$8$1$not base64!$\(key)",
        "bcrypt$1024$8$1$\(salt)$\(key)",
        "",
    ])
    func aPlantedHashPastTheLimitsIsRefusedWithoutRunningIt(hash: String) throws {
        guard case .unusable = PasswordHasher.check("whatever", against: hash) else {
            Issue.record("\(hash) was computed")
            return
        }
        let f = try SignInFixture()
        try f.plant(hash, for: "dev@example.com")
        let start = Date()
        let e = try #require(f.refusal("dev@example.com", SignInFixture.devPassword))
        #expect(e.message == "sign-in failed for dev@example.com: unknown member or wrong password")
        #expect(Date().timeIntervalSince(start) < 2)
    }
}
