import Foundation
import Testing

/// Every numeric option of the real binary, given values that used to trap (Double → Int), be
/// accepted (0 workers, 999999999999 connections) or be misread (`--order -5` as a missing value).
@Suite struct OptionRangeCLITests {
    let dir = NSTemporaryDirectory() + "sluice-ranges-" + UUID().uuidString

    /// A demo workspace and its password (read from `demo --json`, so it follows the demo).
    func demo() throws -> (SluiceBinary, String) {
        let sluice = SluiceBinary(home: dir + "/home")
        let r = try sluice.run(["demo", "--json"])
        #expect(r.status == 0, "demo failed: \(r.stderr)")
        let info = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any]
        return (sluice, try #require(info?["password"] as? String))
    }

    /// (arguments, value, fragment of the refusal). Arguments hold "VALUE" where the value goes.
    static let refusals: [([String], String, String)] = [
        (["issue", "check", "2", "--dry-run-time-limit", "VALUE"], "inf", "the dry-run time limit must be a number from 0.01 to 3600 seconds, not infinite"),
        (["issue", "check", "2", "--dry-run-time-limit", "VALUE"], "1e300", "the dry-run time limit must be a number from 0.01 to 3600 seconds, not 1e+300"),
        (["issue", "check", "2", "--dry-run-time-limit", "VALUE"], "nan", "not not a number"),
        (["issue", "check", "2", "--dry-run-time-limit", "VALUE"], "-5", "not -5"),
        (["issue", "check", "2", "--dry-run-time-limit", "VALUE"], "0", "not 0"),
        (["issue", "check", "2", "--concurrency", "VALUE"], "0", "the plan-check concurrency must be a whole number from 1 to 256, not 0"),
        (["issue", "check", "2", "--concurrency", "VALUE"], "-3", "not -3"),
        (["issue", "check", "2", "--concurrency", "VALUE"], "100000", "not 100000"),
        (["run", "--until-idle", "--workers", "VALUE"], "0", "workers must be a whole number from 1 to 256, not 0"),
        (["run", "--until-idle", "--workers", "VALUE"], "-5", "workers must be a whole number from 1 to 256, not -5"),
        (["run", "--until-idle", "--workers", "VALUE"], "999999999999", "not 999999999999"),
        (["run", "--until-idle", "--lease", "VALUE"], "inf", "the lease must be a number from 0.5 to 3600 seconds, not infinite"),
        (["run", "--until-idle", "--lease", "VALUE"], "0", "not 0"),
        (["run", "--until-idle", "--lease", "VALUE"], "-1", "not -1"),
        (["run", "--until-idle", "--lease", "VALUE"], "1e300", "the lease must be"),
        (["instance", "add", "x", "--engine", "sqlite", "--path", "/tmp", "--env", "test", "--max-connections", "VALUE"], "999999999999",
         "max connections must be a whole number from 1 to 10000, not 999999999999"),
        (["instance", "add", "x", "--engine", "sqlite", "--path", "/tmp", "--env", "test", "--max-connections", "VALUE"], "0", "not 0"),
        (["instance", "add", "x", "--engine", "sqlite", "--path", "/tmp", "--env", "test", "--max-connections", "VALUE"], "-1", "not -1"),
        (["instance", "add", "pg", "--engine", "postgres", "--dsn", "host=localhost dbname=x", "--env", "test", "--lock-timeout", "VALUE"], "inf",
         "the lock timeout must be a number from 0 to 2147483 seconds, not infinite"),
        (["instance", "add", "pg", "--engine", "postgres", "--dsn", "host=localhost dbname=x", "--env", "test", "--statement-timeout", "VALUE"], "1e300",
         "the statement timeout must be a number from 0 to 2147483 seconds"),
        (["instance", "set", "sqlite-prod", "--lock-timeout", "VALUE"], "-1", "the lock timeout must be a number from 0 to 2147483 seconds, not -1"),
        (["instance", "set", "sqlite-prod", "--statement-timeout", "VALUE"], "nan", "not not a number"),
        (["instance", "set", "sqlite-prod", "--statement-timeout", "VALUE"], "3000000", "not 3000000"),
        (["env", "add", "staging", "--order", "VALUE"], "99999999999", "an environment's order must be a whole number from -1000000 to 1000000"),
        (["env", "add", "staging", "--order", "VALUE"], "abc", "The value 'abc' is invalid for '--order <order>'"),
    ]

    @Test func everyNumericOptionRefusesOutOfRangeValues() throws {
        let (sluice, password) = try demo()
        for (args, value, fragment) in Self.refusals {
            let r = try sluice.run(args.map { $0 == "VALUE" ? value : $0 }, user: "admin@example.com", password: password)
            let shown = "\(args.joined(separator: " ")) \(value)"
            #expect(r.status == 2, "\(shown): exit \(r.status) \(r.stderr)")
            #expect(r.stderr.contains(fragment), "\(shown): \(r.stderr)")
            #expect(!r.stderr.contains("Fatal error") && !r.stderr.contains("Missing value"), "\(shown): \(r.stderr)")
        }
    }

    /// A negative order is an order like any other (the environment comes first), in both spellings.
    @Test func negativeNumbersAreReadAsValues() throws {
        let (sluice, password) = try demo()
        let admin = ("admin@example.com", password)
        let a = try sluice.run(["env", "add", "staging", "--order", "-5"], user: admin.0, password: admin.1)
        #expect(a.status == 0, "\(a.stderr)")
        let b = try sluice.run(["env", "add", "dev", "--order=-10"], user: admin.0, password: admin.1)
        #expect(b.status == 0, "\(b.stderr)")
        let list = try sluice.run(["env", "list"], user: admin.0, password: admin.1)
        let names = list.stdout.split(separator: "\n").dropFirst().map { $0.split(separator: " ").first.map(String.init) ?? "" }
        #expect(names == ["dev", "staging", "test", "prod"], "\(list.stdout)")
        // Values in range are accepted by every other option too.
        let run = try sluice.run(["run", "--until-idle", "--workers", "2", "--lease", "0.5"], user: admin.0, password: admin.1)
        #expect(run.status == 0, "\(run.stderr)")
        let check = try sluice.run(["issue", "check", "2", "--dry-run-time-limit", "0.5", "--concurrency", "1"], user: admin.0, password: admin.1)
        #expect(check.status == 0 || check.status == 5, "\(check.stderr)")
    }

    /// Names that only look like existing ones are refused by the real binary, with the character named.
    @Test(arguments: [(["env", "add", "D\u{0415}MO", "--order", "3"], "U+0415 CYRILLIC CAPITAL LETTER IE"),
                      (["env", "add", "pr\u{043E}d", "--order", "3"], "U+043E CYRILLIC SMALL LETTER O"),
                      (["env", "add", "PROD", "--order", "3"], "environment 'PROD' differs only in case from the existing environment 'prod'"),
                      (["project", "create", "DEM\u{039F}", "--title", "x"], "U+039F GREEK CAPITAL LETTER OMICRON"),
                      (["project", "create", "demo", "--title", "x"], "differs only in case from the existing project key 'DEMO'"),
                      (["instance", "add", "sqlite\u{2010}test", "--engine", "sqlite", "--path", "/tmp", "--env", "test"], "U+2010 HYPHEN"),
                      (["db", "label", "sqlite-test/app", "tier=g\u{043E}ld"], "is not a valid label value name")])
    func lookAlikeNamesAreRefused(_ args: [String], _ fragment: String) throws {
        let (sluice, password) = try demo()
        let r = try sluice.run(args, user: "admin@example.com", password: password)
        #expect(r.status == 2 || r.status == 5, "\(args): \(r.stderr)")
        #expect(r.stderr.contains(fragment), "\(args): \(r.stderr)")
    }
}
