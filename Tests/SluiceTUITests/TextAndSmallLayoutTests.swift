import Foundation
@testable import SluiceEngine
@testable import SluiceTUI
import Testing

/// Text is cut with an ellipsis wherever it is cut, never reaches the terminal as a control
/// sequence, and small terminals keep the selected issue's detail readable.
@Suite(.serialized) struct TextAndSmallLayoutTests {
    @Test(arguments: [
        ("Add phone column to customers", 12, "Add phone c…"),
        ("Add phone column to customers", 11, "Add phone…"),  // no space left dangling before the …
        ("short", 12, "short"),
        ("表表表表", 5, "表表…"),
        ("abc", 1, "…"),
    ])
    func putCutsWithAnEllipsis(text: String, width: Int, shown: String) {
        var f = Frame(width: 20, height: 1)
        f.put(text, x: 2, y: 0, role: .text, maxWidth: width)
        let row = f.rowText(0)
        #expect(row.hasPrefix("  " + shown), "\(row)")
        #expect(DisplayWidth.of(shown) <= width)
        // Spans cut in the middle end with the ellipsis too; so does text cut by the frame's edge.
        var g = Frame(width: 10, height: 1)
        g.put([Span("ab", .dim), Span(text + text)], x: 0, y: 0, maxWidth: 10)
        #expect(g.text.hasSuffix("…") || DisplayWidth.of("ab" + text + text) <= 10, "\(g.text)")
        var h = Frame(width: 6, height: 1)
        h.put("abcdefgh", x: 0, y: 0, role: .text)
        #expect(h.rowText(0) == "abcde…")
    }

    /// Controls that would move the cursor, recolour, retitle, clear, ring or reorder text.
    static let hostile: [(String, String)] = [
        ("ESC CSI colour", "\u{1b}[31mred\u{1b}[0m"),
        ("clear screen", "\u{1b}[2J\u{1b}[H"),
        ("OSC title", "\u{1b}]0;pwned\u{07}"),
        ("OSC 52 clipboard", "\u{1b}]52;c;cm0gLXJmIH4=\u{07}"),
        ("C1 CSI", "\u{9b}31m"),
        ("C1 OSC", "\u{9d}0;t\u{9c}"),
        ("bell and backspace", "a\u{07}\u{08}\u{08}b"),
        ("newline and carriage return", "one\ntwo\rthree"),
        ("DEL", "x\u{7f}y"),
        ("bidi override", "abc\u{202e}fed\u{202c}"),
        ("bidi isolates", "\u{2066}a\u{2067}b\u{2068}c\u{2069}"),
        ("bidi marks", "\u{200e}\u{200f}\u{61c}x"),
    ]

    @Test(arguments: hostile)
    func titlesNeverReachTheTerminalAsControls(name: String, text: String) throws {
        // Whatever the engine lets in (it may refuse some of these), the frame layer alone must hold:
        // the text goes straight into the state, as a title, a creator, a comment and a log line.
        let fixture = try DemoFixture()
        var s = fixture.store(as: DemoFixture.dba).state
        let hostile = "T \(text) end"
        s.issues[s.visibleIssues[s.issueIndex]].title = hostile
        s.detail?.issue.title = hostile
        s.detail?.issue.creator = hostile
        s.detail?.timeline[0].text = hostile
        s.message = StatusMessage(text: hostile, isError: true)
        let frame = Renderer.render(s, size: s.size)
        for v in frame.scalars where v != Frame.continuation {
            #expect(!TerminalSafe.isControl(v), "\(name): a control character U+\(String(v, radix: 16)) reached a cell")
            #expect(!(v == 0x61c || v == 0x200e || v == 0x200f || (0x202a...0x202e).contains(v) || (0x2066...0x2069).contains(v)),
                    "\(name): a bidi control U+\(String(v, radix: 16)) reached a cell")
        }
        // What was there stays visible, written as the CLI writes it: ESC as \u{1B}.
        if text.contains("\u{1b}") { #expect(frame.text.contains("\\u{1B}")) }
    }

    static func state(_ size: Size) throws -> (AppState, DemoFixture) { try SnapshotTests.state(size: size) }

    @Test(arguments: [(80, 24), (40, 12), (120, 36)])
    func theSelectedIssueStaysReadable(width: Int, height: Int) throws {
        let (s, _) = try Self.state(Size(width: width, height: height))
        let frame = Renderer.render(s, size: s.size)
        Snapshot.check(frame, named: "small-overview-\(width)x\(height)")
        let detail = s.layout.detail
        // At least half the screen for the detail, and its first lines shown.
        #expect(detail.height * 2 >= height - 1, "the detail has \(detail.height) of \(height) rows")
        #expect(frame.text.contains("Status"))
        #expect(frame.text.contains("#2 Add phone"))
        // Nothing is cut without an ellipsis: a row of the issue list shows the title whole or with …
        let issueRows = frame.text.split(separator: "\n").filter { $0.contains("#2 ") && !$0.contains("┌") }
        for row in issueRows { #expect(row.contains("Add phone column to customers") || row.contains("…"), "\(row)") }
    }

    @Test func compactLayoutShowsTheFocusedListAndNamesTheOthers() throws {
        var (s, _) = try Self.state(Size(width: 80, height: 24))
        #expect(s.layout.slot == .issues)
        #expect(Renderer.render(s, size: s.size).text.contains("1 Projects · 3 Pipeline"))
        _ = Reducer().reduce(&s, .key(.char("3")))
        #expect(s.layout.slot == .pipeline)
        let text = Renderer.render(s, size: s.size).text
        #expect(text.contains("3 Pipeline") && text.contains("sqlite-test/app"))
        _ = Reducer().reduce(&s, .key(.char("0")))
        #expect(s.layout.slot == .issues, "with the detail focused the slot shows the issues")
        // The tab row follows the active tab when it does not fit (40 columns).
        var narrow = s
        narrow.size = Size(width: 40, height: 12)
        narrow.tab = .history
        #expect(Renderer.render(narrow, size: narrow.size).text.contains("[History]"))
    }

    @Test func theSignInErrorWrapsInsteadOfBeingCut() {
        var s = AppState(workspaceName: "demo")
        var d = SignInDialog()
        d.error = "wrong email or password for dev@example.com; 3 attempts left before the account locks for 15 minutes"
        s.dialog = .signIn(d)
        let text = Renderer.render(s, size: Size(width: 80, height: 24)).text
        #expect(text.contains("wrong email or password for dev@example.com; 3 attempts"))
        #expect(text.contains("locks for 15 minutes"))
    }
}
