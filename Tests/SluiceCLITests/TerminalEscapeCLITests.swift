import Foundation
import Testing

/// Hostile text from one member (a title, a comment, a description, a display name, a label, a file
/// name on a target) printed by the real binary to another member's terminal: the raw bytes of every
/// human and JSON output hold no ESC, no C1 control, no bidi control and no other invisible format
/// character, and JSON still decodes to the exact text.
@Suite struct TerminalEscapeCLITests {
    let dir = NSTemporaryDirectory() + "sluice-escapes-" + UUID().uuidString

    static let hostile: [String] = [
        "\u{1B}]0;pwned\u{07}\u{1B}[2J",            // retitle the window, clear the screen
        "\u{1B}[31mred\u{1B}[0m \u{1B}[1A\u{1B}[2K", // colour, cursor up, erase line
        "csi\u{9B}2J osc\u{9D}0;x\u{9C}",            // the same as C1 controls
        "approve\rREJECTED",                         // carriage return overwrites
        "exe.\u{202E}gnp \u{2066}iso\u{2069}",       // bidi override and isolate
        "zero\u{200B}width\u{200D}\u{FEFF}\u{E0041}", // invisible characters and a tag character
        "bell\u{07}back\u{08}del\u{7F}",
        "line\u{2028}separator",
    ]

    /// No byte sequence a terminal would act on: ESC, C1 (as UTF-8 C2 80–C2 9F), bidi and other format characters.
    static func unsafe(in text: String) -> [String] {
        text.unicodeScalars.compactMap { s -> String? in
            let v = s.value
            let bad = (v < 0x20 && v != 0x0A && v != 0x09) || (0x7F...0x9F).contains(v) || (0x202A...0x202E).contains(v)
                || (0x2066...0x2069).contains(v) || (0x200B...0x200F).contains(v) || v == 0xFEFF || v == 0x2028 || v == 0x2029
                || (0xE0000...0xE007F).contains(v)
            return bad ? String(format: "U+%04X", v) : nil
        }
    }

    @Test func hostileTextIsShownSafelyEverywhere() throws {
        let sluice = SluiceBinary(home: dir + "/home")
        let made = try sluice.run(["demo", "--json"])
        #expect(made.status == 0, "\(made.stderr)")

        let password = try #require((try JSONSerialization.jsonObject(with: Data(made.stdout.utf8)) as? [String: Any])?["password"] as? String)
        let admin = ("admin@example.com", password), dev = ("dev@example.com", password)
        let evil = Self.hostile.joined(separator: " | ")

        // Hostile text enters through every free-text field.
        let created = try sluice.run(["issue", "create", "--project", "DEMO", "--title", evil, "--description", evil + "\nsecond line " + evil,
                                      "--sql", "SELECT 1;", "--target", "sqlite-test/app", "--json"], user: dev.0, password: dev.1)
        #expect(created.status == 0, "\(created.stderr)")
        let id = try #require((try JSONSerialization.jsonObject(with: Data(created.stdout.utf8)) as? [String: Any])?["id"] as? Int)
        #expect(try sluice.run(["issue", "comment", "\(id)", "--text", evil + "\n" + evil], user: dev.0, password: dev.1).status == 0)
        var adding = sluice
        adding.env["SLUICE_NEW_PASSWORD"] = "correct horse battery staple"
        let member = try adding.run(["member", "add", "evil@example.com", "--name", evil, "--role", "member"], user: admin.0, password: admin.1)
        #expect(member.status == 0, "\(member.stderr)")
        // A file on a target may have any name; `instance sync` registers it as it is.
        let tenants = dir + "/tenants"
        try FileManager.default.createDirectory(atPath: tenants, withIntermediateDirectories: true)
        _ = FileManager.default.createFile(atPath: tenants + "/acme\u{1B}]0;x\u{07}\u{202E}.db", contents: nil)
        #expect(try sluice.run(["instance", "add", "tenants", "--engine", "sqlite", "--path", tenants, "--env", "test"], user: admin.0, password: admin.1).status == 0)
        let synced = try sluice.run(["instance", "sync", "tenants"], user: admin.0, password: admin.1)
        #expect(synced.status == 0, "\(synced.stderr)")

        // Every human and JSON view that shows any of it.
        let views: [[String]] = [
            ["issue", "list"], ["issue", "show", "\(id)"], ["issue", "list", "--json"], ["issue", "show", "\(id)", "--json"],
            ["member", "list"], ["member", "list", "--json"], ["db", "list"], ["db", "list", "--json"], ["instance", "sync", "tenants"],
            ["task", "list", "\(id)"], ["issue", "check", "\(id)"],
            // Errors that echo what was typed.
            ["issue", "show", "\u{1B}[2J"], ["db", "history", "tenants/\u{1B}]0;x\u{07}"], ["env", "add", "\u{1B}[2Jprod", "--order", "1"],
            ["issue", "create", "--project", "\u{9B}2J", "--title", "t", "--sql", "SELECT 1;", "--target", "sqlite-test/app"],
        ]
        for view in views {
            let r = try sluice.run(view, user: admin.0, password: admin.1)
            let shown = view.joined(separator: " ").debugDescription
            #expect(Self.unsafe(in: r.stdout).isEmpty, "\(shown) stdout: \(Self.unsafe(in: r.stdout)) \(r.stdout.debugDescription)")
            #expect(Self.unsafe(in: r.stderr).isEmpty, "\(shown) stderr: \(Self.unsafe(in: r.stderr)) \(r.stderr.debugDescription)")
        }

        // The text is shown, escaped, not dropped: the DBA sees what the developer wrote.
        let list = try sluice.run(["issue", "list"], user: admin.0, password: admin.1)
        #expect(list.stdout.contains(#"\u{1B}]0;pwned\u{07}\u{1B}[2J"#), "\(list.stdout)")
        #expect(list.stdout.contains(#"exe.\u{202E}gnp"#))
        #expect(list.stdout.contains(#"approve\rREJECTED"#))
        // One issue is one line in the list, even with newlines in the title.
        #expect(list.stdout.split(separator: "\n").filter { $0.contains("#\(id) ") }.count == 1)
        let show = try sluice.run(["issue", "show", "\(id)"], user: admin.0, password: admin.1)
        #expect(show.stdout.contains("second line"), "the description is shown")
        #expect(show.stdout.contains(#"csi\u{9B}2J"#))

        // JSON decodes to exactly what was written.
        let json = try sluice.run(["issue", "show", "\(id)", "--json"], user: admin.0, password: admin.1)
        let issue = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        #expect(issue["title"] as? String == evil)
        let dbs = try sluice.run(["db", "list", "--json"], user: admin.0, password: admin.1)
        #expect(dbs.stdout.contains(#"acme\u001b]0;x\u0007\u202E"#) || dbs.stdout.contains(#"acme\u001B]0;x\u0007\u202E"#), "\(dbs.stdout)")
    }

    /// Label values and display names must follow the rules where they are created; what a target
    /// reports is shown escaped in `db list`.
    @Test func aDiscoveredDatabaseNameIsShownEscaped() throws {
        let sluice = SluiceBinary(home: dir + "/home")
        let made = try sluice.run(["demo", "--json"])
        let password = try #require((try JSONSerialization.jsonObject(with: Data(made.stdout.utf8)) as? [String: Any])?["password"] as? String)
        let tenants = dir + "/t"
        try FileManager.default.createDirectory(atPath: tenants, withIntermediateDirectories: true)
        _ = FileManager.default.createFile(atPath: tenants + "/a\u{1B}[2Jb.db", contents: nil)
        #expect(try sluice.run(["instance", "add", "t", "--engine", "sqlite", "--path", tenants, "--env", "test"], user: "admin@example.com", password: password).status == 0)
        #expect(try sluice.run(["instance", "sync", "t"], user: "admin@example.com", password: password).status == 0)
        let list = try sluice.run(["db", "list", "--instance", "t"], user: "admin@example.com", password: password)
        #expect(list.stdout.contains(#"t/a\u{1B}[2Jb"#), "\(list.stdout)")
        #expect(Self.unsafe(in: list.stdout).isEmpty)
    }
}
