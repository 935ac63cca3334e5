import Foundation
import Testing
@testable import SluiceEngine

/// The one rule for names created in Sluice, and for members' emails: a name that only looks like
/// another, hides a character or reorders its text is refused, saying which character and why.
@Suite struct NameRuleTests {
    /// (name, fragment of the refusal).
    static let lookAlikes: [(String, String)] = [
        ("D\u{0415}MO", "U+0415 CYRILLIC CAPITAL LETTER IE"),       // DЕMO
        ("pr\u{043E}d", "U+043E CYRILLIC SMALL LETTER O"),          // prоd
        ("\u{0440}rod", "U+0440 CYRILLIC SMALL LETTER ER"),         // рrod
        ("pr\u{03BF}d", "U+03BF GREEK SMALL LETTER OMICRON"),       // prοd
        ("\u{0391}PP", "U+0391 GREEK CAPITAL LETTER ALPHA"),        // ΑPP
        ("pro\u{200D}d", "U+200D ZERO WIDTH JOINER"),
        ("pro\u{200B}d", "U+200B ZERO WIDTH SPACE"),
        ("prod\u{202E}", "U+202E RIGHT-TO-LEFT OVERRIDE"),
        ("\u{2066}prod", "U+2066 LEFT-TO-RIGHT ISOLATE"),
        ("\u{FF50}rod", "U+FF50 FULLWIDTH LATIN SMALL LETTER P"),   // ｐrod
        ("prod\u{FEFF}", "U+FEFF ZERO WIDTH NO-BREAK SPACE"),
        ("pro\u{0301}d", "U+0301 COMBINING ACUTE ACCENT"),
        ("caf\u{E9}", "U+00E9 LATIN SMALL LETTER E WITH ACUTE"),
        ("prod\u{1B}[2J", "control character U+001B"),
        ("pro d", "(a space)"),
        ("prod\n", "control character U+000A"),
        (".hidden", "starts with '.'"),
        ("-rf", "starts with '-'"),
        ("_x", "starts with '_'"),
        ("", "it is empty"),
        (String(repeating: "a", count: 65), "65 characters"),
        ("a/b", "character 2 is '/'"),
        ("a:b", "character 2 is ':'"),
    ]

    @Test(arguments: lookAlikes)
    func aNameThatOnlyLooksRightIsRefused(_ name: String, _ fragment: String) throws {
        #expect(!Names.isValid(name))
        let error = try #require(throws: SluiceError.self) { try Names.check(name, what: "environment") }
        #expect(error.kind == .usage)
        #expect(error.message.contains(fragment), "\(error.message)")
        #expect(error.hint?.contains("ASCII letters, digits") == true)
        // The refusal echoes the name safely.
        #expect(TerminalText.isSafeLine(error.message), "\(error.message.debugDescription)")
    }

    @Test(arguments: ["prod", "PROD", "prod.", "eu-west-1", "tenant_42", "0003", "1.2.0", "a", String(repeating: "z", count: 64)])
    func ordinaryNamesPass(_ name: String) throws {
        #expect(Names.isValid(name))
        try Names.check(name, what: "environment")
    }

    /// Every kind of name the workspace creates goes through the rule, and a name that differs only in
    /// case from one of its kind is refused.
    @Test func theWorkspaceRefusesLookAlikesOfEveryKind() throws {
        let t = try TestWorkspace()
        let cyrillicE = "t\u{0435}st"
        let attempts: [(String, () throws -> Void)] = [
            ("environment", { _ = try t.ws.addEnvironment(by: t.admin, name: cyrillicE, order: 5, protected: false, autoRollout: false, rolloutRoles: nil) }),
            ("instance", { _ = try t.ws.addInstance(by: t.admin, name: cyrillicE, engine: .sqlite, location: t.dir, environment: "test") }),
            ("project key", { _ = try t.ws.createProject(by: t.admin, key: "P\u{0440}", title: "x") }),
            ("role", { _ = try t.ws.addCustomRole(by: t.admin, name: "r\u{043E}le", permissions: ["issues.get"]) }),
            ("flow", { _ = try t.ws.addFlow(by: t.admin, name: "fl\u{043E}w", roles: ["dba"]) }),
            ("label key", { _ = try t.ws.setLabels(by: t.admin, t.ref("test", 0), ["t\u{0435}nant": "acme"]) }),
            ("label value", { _ = try t.ws.setLabels(by: t.admin, t.ref("test", 0), ["tenant": "\u{0430}cme"]) }),
        ]
        for (what, attempt) in attempts {
            let e = try #require(throws: SluiceError.self, "\(what)") { try attempt() }
            #expect(e.message.contains("is not a valid \(what) name"), "\(what): \(e.message)")
            #expect(e.message.contains("CYRILLIC"), "\(what): \(e.message)")
        }
        let sameButCase: [(String, () throws -> Void)] = [
            ("environment 'PROD'", { _ = try t.ws.addEnvironment(by: t.admin, name: "PROD", order: 5, protected: false, autoRollout: false, rolloutRoles: nil) }),
            ("instance 'Test'", { _ = try t.ws.addInstance(by: t.admin, name: "Test", engine: .sqlite, location: t.dir, environment: "test") }),
            ("project key 'p'", { _ = try t.ws.createProject(by: t.admin, key: "p", title: "x") }),
            ("role 'DBA'", { _ = try t.ws.addCustomRole(by: t.admin, name: "DBA", permissions: ["issues.get"]) }),
        ]
        for (what, attempt) in sameButCase {
            let e = try #require(throws: SluiceError.self, "\(what)") { try attempt() }
            #expect(e.message.contains("\(what) differs only in case"), "\(e.message)")
        }
        // A label of the rule, and removing one, still work.
        let d = try t.ws.setLabels(by: t.admin, t.ref("test", 0), ["region": "eu-west-1"])
        #expect(d.labels["region"] == "eu-west-1")
        #expect(try t.ws.setLabels(by: t.admin, t.ref("test", 0), ["region": ""]).labels["region"] == nil)
    }

    /// Databases found by `instance sync` keep whatever name they have on the target.
    @Test func discoveredDatabasesMayHaveAnyName() throws {
        let t = try TestWorkspace()
        let odd = ["caf\u{E9}", "with space", "rtl\u{202E}gnp"]
        for name in odd { _ = FileManager.default.createFile(atPath: "\(t.dir)/test/\(name).db", contents: nil) }
        let report = try t.ws.syncInstance(by: t.admin, name: "test")
        #expect(Set(report.added) == Set(odd), "\(report.added)")
    }

    /// (email, fragment of the refusal).
    static let badEmails: [(String, String)] = [
        ("dba@ex\u{0430}mple.com", "U+0430 CYRILLIC SMALL LETTER A"),
        ("d\u{0432}a@example.com", "U+0432 CYRILLIC SMALL LETTER VE"),
        ("dba@example.com\u{202E}", "U+202E RIGHT-TO-LEFT OVERRIDE"),
        ("dba\u{200D}@example.com", "U+200D ZERO WIDTH JOINER"),
        ("\u{FF44}ba@example.com", "U+FF44 FULLWIDTH LATIN SMALL LETTER D"),
        ("dba @example.com", "a space"),
        ("dba@example.com\n", "control character U+000A"),
        ("dba@exa\u{1B}mple.com", "control character U+001B"),
        ("dba@example.com.", "ends with a dot"),
        ("dba@example..com", "empty label"),
        ("dba@@example.com", "more than one '@'"),
        ("dbaexample.com", "no '@'"),
        ("@example.com", "nothing stands before"),
        ("dba@", "nothing follows"),
        ("dba@localhost", "has no dot"),
        (".dba@example.com", "dot at its start or end"),
        ("dba@-example.com", "starts or ends with '-'"),
        ("dba@exa_mple.com", "'_' cannot stand in a domain"),
        ("d(b)a@example.com", "'(' cannot stand before"),
        ("", "it is empty"),
    ]

    @Test(arguments: badEmails)
    func aLookAlikeOrMalformedEmailIsRefused(_ email: String, _ fragment: String) throws {
        let e = try #require(throws: SluiceError.self) { try Names.checkEmail(email) }
        #expect(e.message.contains(fragment), "\(e.message)")
        #expect(TerminalText.isSafeLine(e.message))
    }

    @Test(arguments: ["dba@example.com", "first.last+tag@sub.example.co.uk", "o'brien@example.ie", "x@xn--bcher-kva.example"])
    func ordinaryEmailsPass(_ email: String) throws {
        try Names.checkEmail(email)
    }

    @Test func membersAreCheckedByTheWorkspace() throws {
        let t = try TestWorkspace()
        let e = try #require(throws: SluiceError.self) {
            _ = try t.ws.addMember(by: t.admin, email: "n\u{0435}w@example.com", role: "member", password: "member-password")
        }
        #expect(e.message.contains("CYRILLIC SMALL LETTER IE"))
    }

    /// The settings file reads names by the same rule.
    @Test func settingsNamesFollowTheSameRule() {
        for (name, _) in Self.lookAlikes { #expect(SettingsTOMLReader.isValidName(name) == Names.isValid(name)) }
        #expect(SettingsTOMLReader.isValidName("prod"))
    }
}
