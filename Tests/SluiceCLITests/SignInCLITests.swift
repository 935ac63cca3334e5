import Foundation
import GRDB
import Testing
@testable import SluiceEngine

/// Sign-in through the real binary: each call is a new process, so the throttle must live in the metastore.
@Suite struct SignInCLITests {
    let dir = NSTemporaryDirectory() + "sluice-cli-signin-" + UUID().uuidString
    let demoPassword = "sluice-demo-pw"

    func demo() throws -> SluiceBinary {
        let sluice = SluiceBinary(home: dir + "/home")
        let r = try sluice.run(["demo"])
        try #require(r.status == 0, "demo failed: \(r.stderr)")
        return sluice
    }

    /// Five wrong passwords in five processes, then even the right one waits; the same for an
    /// unknown email; an admin sees the counts and clears them.
    @Test(arguments: ["dev@example.com", "nobody@example.com"])
    func failuresAcrossProcessesLeadToAWait(email: String) throws {
        let sluice = try demo()
        for _ in 0..<5 {
            let r = try sluice.run(["whoami"], user: email, password: "not the password")
            #expect(r.status == 3)
            #expect(r.stderr.contains("error: sign-in failed for \(email): unknown member or wrong password"))
        }
        let waiting = try sluice.run(["whoami"], user: email, password: demoPassword)
        #expect(waiting.status == 3)
        #expect(waiting.stderr.contains("error: too many failed sign-ins for \(email); try again in "), "\(waiting.stderr)")
        #expect(waiting.stderr.contains("the password was not checked"))

        let listed = try sluice.run(["member", "sign-ins", "--json"], user: "admin@example.com", password: demoPassword)
        #expect(listed.status == 0, "\(listed.stderr)")
        let rows = try #require(try JSONSerialization.jsonObject(with: Data(listed.stdout.utf8)) as? [[String: Any]])
        let row = try #require(rows.first { $0["scope"] as? String == "member" })
        #expect(row["key"] as? String == email && row["failures"] as? Int == 5 && row["refused"] as? Int == 1)
        #expect((row["lastSource"] as? String)?.hasPrefix("local uid \(getuid())") == true)
        #expect(try sluice.run(["member", "sign-ins"], user: "dev@example.com", password: demoPassword).status == 3)

        let unlock = try sluice.run(["member", "unlock", email], user: "admin@example.com", password: demoPassword)
        #expect(unlock.status == 0 && unlock.stdout.contains("Failed sign-ins for \(email) forgotten."), "\(unlock.stderr)")
        let after = try sluice.run(["whoami"], user: email, password: demoPassword)
        #expect(after.status == (email == "dev@example.com" ? 0 : 3), "\(after.stderr)")
    }

    @Test func newPasswordsNeedTwelveCharacters() throws {
        let sluice = try demo()
        let short = try sluice.run(["member", "add", "new@example.com", "--password-stdin"], user: "admin@example.com",
                                   password: demoPassword, stdin: "elevenchars\n")
        #expect(short.status == 2)
        #expect(short.stderr.contains("error: the password is too short: 11 characters, at least 12 are needed"))
        #expect(!short.stderr.contains("elevenchars"))
        let ok = try sluice.run(["member", "add", "new@example.com", "--password-stdin"], user: "admin@example.com",
                                password: demoPassword, stdin: "twelve chars\n")
        #expect(ok.status == 0, "\(ok.stderr)")
    }

    /// A password from before the minimum rose signs in with a warning naming the command; the
    /// member changes it, and the warning is gone.
    @Test func anOldShortPasswordWarnsAndCanBeChanged() throws {
        let sluice = try demo()
        PasswordHasher.useTestCost()
        let ws = try Workspace(home: sluice.home)
        let old = try PasswordHasher.hash("sluice", cost: .test)
        try ws.store.write { db in try db.execute(sql: "UPDATE member SET passwordHash = ? WHERE email = 'dev@example.com'", arguments: [old]) }

        let warned = try sluice.run(["whoami"], user: "dev@example.com", password: "sluice")
        #expect(warned.status == 0)
        #expect(warned.stderr.contains("warning: your password has 6 characters; passwords now need at least 12."))
        #expect(warned.stderr.contains("Change it with `sluice member password`."))

        var change = sluice
        change.env["SLUICE_NEW_PASSWORD"] = "short"
        let refused = try change.run(["member", "password"], user: "dev@example.com", password: "sluice")
        #expect(refused.status == 2 && refused.stderr.contains("too short: 5 characters"))
        change.env["SLUICE_NEW_PASSWORD"] = "a longer passphrase"
        let changed = try change.run(["member", "password"], user: "dev@example.com", password: "sluice")
        #expect(changed.status == 0, "\(changed.stderr)")
        #expect(changed.stdout.contains("Password changed for dev@example.com"))

        let fine = try sluice.run(["whoami"], user: "dev@example.com", password: "a longer passphrase")
        #expect(fine.status == 0 && fine.stderr.isEmpty, "\(fine.stderr)")
        #expect(try sluice.run(["whoami"], user: "dev@example.com", password: "sluice").status == 3)
    }

    /// --password-stdin gives the current then the new password; a saved session survives the
    /// change (renewed), and an admin's reset of another member ends theirs.
    @Test func passwordChangeFromStdinAndAnAdminReset() throws {
        let sluice = try demo()
        #expect(try sluice.run(["login", "dev@example.com"], password: demoPassword).status == 0)
        let changed = try sluice.run(["member", "password", "--password-stdin"], stdin: "\(demoPassword)\nnew dev passphrase\n")
        #expect(changed.status == 0, "\(changed.stderr)")
        #expect(try sluice.run(["whoami"]).stdout.hasPrefix("dev@example.com"))
        #expect(try sluice.run(["whoami"], user: "dev@example.com", password: "new dev passphrase").status == 0)

        let wrongCurrent = try sluice.run(["member", "password", "--password-stdin"], stdin: "not it at all\nanother passphrase\n")
        #expect(wrongCurrent.status == 3 && wrongCurrent.stderr.contains("unknown member or wrong password"))

        let notAdmin = try sluice.run(["member", "password", "owner@example.com", "--password-stdin"], stdin: "taken over owner\n")
        #expect(notAdmin.status == 3 && notAdmin.stderr.contains("members.manage"))

        var admin = sluice
        admin.env["SLUICE_USER"] = "admin@example.com"
        admin.env["SLUICE_PASSWORD"] = demoPassword
        let reset = try admin.run(["member", "password", "dev@example.com", "--password-stdin"], stdin: "reset by admin 1\n")
        #expect(reset.status == 0, "\(reset.stderr)")
        let ended = try sluice.run(["whoami"])
        #expect(ended.status == 3 && ended.stderr.contains("not signed in"))
        #expect(try sluice.run(["whoami"], user: "dev@example.com", password: "reset by admin 1").status == 0)
    }
}
