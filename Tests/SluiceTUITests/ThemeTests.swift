import Foundation
@testable import SluiceEngine
@testable import SluiceTUI
import Testing

@Suite struct ThemeTests {
    static let shipped = ["dark", "light", "ansi", "high-contrast"]
    static let statuses: [Role] = [.statusNotStarted, .statusPending, .statusRunning, .statusDone, .statusFailed,
                                   .statusCanceled, .statusSkipped, .statusBlocked]

    @Test(arguments: shipped)
    func shippedThemeParsesAndDefinesEveryRole(_ name: String) throws {
        let theme = try ThemeCatalog(userDirectory: nil).theme(named: name)
        let missing = Theme.requiredRoles.map(\.name).filter { !theme.explicitRoles.contains($0) }
        #expect(missing.isEmpty, "theme \(name) does not define \(missing)")
    }

    @Test func themeFilesMatchTheEmbeddedCopies() throws {
        let dir = Repo.path("themes")
        let files = try FileManager.default.contentsOfDirectory(atPath: dir).filter { $0.hasSuffix(".toml") }
        #expect(Set(files.map { String($0.dropLast(5)) }) == Set(BuiltinThemes.sources.keys))
        for f in files {
            let text = try String(contentsOfFile: (dir as NSString).appendingPathComponent(f), encoding: .utf8)
            #expect(BuiltinThemes.sources[String(f.dropLast(5))] == text, "themes/\(f) changed: run scripts/embed-themes.sh")
        }
    }

    @Test(arguments: shipped)
    func statusesStayDistinguishableIn16Colours(_ name: String) throws {
        let theme = try ThemeCatalog(userDirectory: nil).theme(named: name)
        let styles = Self.statuses.map { theme.style($0).degraded(to: .ansi16) }
        for i in styles.indices { for j in styles.indices where j > i {
            #expect(styles[i] != styles[j], "\(name): \(Self.statuses[i].name) and \(Self.statuses[j].name) look the same in 16 colours")
        } }
        // And never by colour alone: each status has its own glyph and word.
        let badges = TaskStatus.allCases.map(\.badge) + [TaskStatus.notStarted.badge(waiting: true)]
        #expect(Set(badges.map(\.glyph)).count == badges.count)
        #expect(Set(badges.map(\.ascii)).count == badges.count)
        #expect(Set(badges.map(\.word)).count == badges.count)
    }

    @Test func truecolorDegradesTo256And16() {
        let red = ThemeColor.rgb(0xf3, 0x8b, 0xa8)
        guard case .indexed(let n) = red.degraded(to: .ansi256) else { Issue.record("not indexed"); return }
        #expect(n >= 16)
        #expect(red.degraded(to: .ansi16) != .terminal)
        #expect(red.degraded(to: .monochrome) == .terminal)
        #expect(ThemeColor.rgb(0, 0, 0).degraded(to: .ansi16) == .ansi(0))
        #expect(ColorDepth.detect(terminalColors: 256, environment: ["NO_COLOR": "1"]) == .monochrome)
        #expect(ColorDepth.detect(terminalColors: 0x1000000, environment: ["COLORTERM": "truecolor"]) == .truecolor)
        #expect(ColorDepth.detect(terminalColors: 256, environment: ["COLORTERM": "truecolor"]) == .ansi256)
        #expect(ColorDepth.detect(terminalColors: 8, environment: [:]) == .ansi16)
    }

    @Test func monochromeSelectionUsesReverseVideo() throws {
        let theme = try ThemeCatalog(userDirectory: nil).theme(named: "dark")
        #expect(theme.style(.selection).degraded(to: .monochrome).reverse)
    }

    @Test func brokenUserThemeIsReportedWithFileAndLineAndTheDefaultUsed() throws {
        let dir = NSTemporaryDirectory() + "sluice-themes-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try "inherits = \"dark\"\n\"ui.text\" = { fg = \"red\" \n".write(toFile: dir + "/broken.toml", atomically: true, encoding: .utf8)
        try "inherits = \"dark\"\n\n\"status.done\" = { fg = \"not-a-colour\" }\n".write(toFile: dir + "/badcolour.toml", atomically: true, encoding: .utf8)
        let catalog = ThemeCatalog(userDirectory: dir)
        let (theme, warning) = catalog.choose(flag: "broken", environment: [:])
        #expect(theme.name == "dark")
        #expect(warning?.contains("broken.toml:2") == true, "\(warning ?? "no warning")")
        let (_, w2) = catalog.choose(flag: nil, environment: ["SLUICE_THEME": "badcolour"])
        #expect(w2?.contains("badcolour.toml:3") == true, "\(w2 ?? "no warning")")
        #expect(w2?.contains("not-a-colour") == true)
    }

    @Test func userThemeInheritsAndSubRolesFallBackToParents() throws {
        let dir = NSTemporaryDirectory() + "sluice-themes-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try "inherits = \"light\"\n\"status.failed\" = { fg = \"#ff0000\", modifiers = [\"bold\"] }\n\"status.failed.badge\" = { fg = \"brand\" }\n[palette]\nbrand = \"#00ff00\"\n"
            .write(toFile: dir + "/mine.toml", atomically: true, encoding: .utf8)
        let theme = try ThemeCatalog(userDirectory: dir).theme(named: "mine")
        #expect(theme.style(.statusFailed) == Style(fg: .rgb(255, 0, 0), bold: true))
        let light = try ThemeCatalog(userDirectory: nil).theme(named: "light")
        #expect(theme.style(.statusDone) == light.style(.statusDone))
        // ui.selection.unfocused is optional: a theme without it falls back to ui.selection.
        let src = try ThemeSource.parse("\"ui.selection\" = { bg = \"blue\" }\n", file: "t.toml", name: "t")
        let t = try src.resolve { (_: String) throws(ThemeError) -> ThemeSource? in nil }
        #expect(t.style(.selectionUnfocused) == t.style(.selection))
    }
}

@Suite struct KeymapTests {
    @Test func keybindingsDocIsGeneratedFromTheKeymap() throws {
        let doc = try String(contentsOfFile: Repo.path("docs/keybindings.md"), encoding: .utf8)
        #expect(doc == Keymap.standard.markdown(), "docs/keybindings.md is stale: run `sluice tui --keybindings-doc > docs/keybindings.md`")
    }

    @Test func keymapFileRemapsKeysAndReportsMistakesWithTheirLine() throws {
        let map = try Keymap.load(toml: "[keys]\napprove = [\"A\", \"ctrl-a\"]\nquit = \"Q\"\n", file: "keymap.toml")
        #expect(map.command(for: .char("A")) == .approve)
        #expect(map.command(for: .ctrl("a")) == .approve)
        #expect(map.command(for: .char("a")) == nil)
        #expect(map.command(for: .char("Q")) == .quit)
        #expect(map.command(for: .char("j")) == .down)
        #expect(throws: Keymap.LoadError.self) { try Keymap.load(toml: "[keys]\n\nfrobnicate = \"z\"\n", file: "k.toml") }
        do {
            _ = try Keymap.load(toml: "[keys]\napprove = \"no-such-key\"\n", file: "k.toml")
            Issue.record("accepted a bad key name")
        } catch { #expect(error.line == 2) }
    }

    @Test func everyKeyNameRoundTrips() {
        for keys in Keymap.standard.bindings.values { for k in keys { #expect(Key(name: k.name) == k) } }
    }
}
