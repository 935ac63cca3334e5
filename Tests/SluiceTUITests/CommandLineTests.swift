import Foundation
@testable import SluiceEngine
@testable import SluiceTUI
import Testing

/// The `:` command line: every word completion offers does something or says why not; ctrl-u
/// and ctrl-w edit the line.
@Suite struct CommandLineTests {
    let fixture: DemoFixture
    init() throws { fixture = try DemoFixture() }

    func loaded() -> AppState {
        var s = fixture.store(as: DemoFixture.dba).state
        s.themeNames = ThemeCatalog(userDirectory: nil).names
        return s
    }

    /// Runs `:LINE` from a loaded state; returns the state and effects.
    func run(_ line: String) -> (AppState, [Effect]) {
        var s = loaded()
        let r = Reducer()
        _ = r.reduce(&s, .key(.char(":")))
        for c in line { _ = r.reduce(&s, .key(.char(c))) }
        let effects = r.reduce(&s, .key(.enter))
        return (s, effects)
    }

    /// Whether running a line visibly did something: effects, a dialog, a moved cursor or tab, or a message.
    func didSomething(_ before: AppState, _ after: AppState, _ effects: [Effect]) -> Bool {
        !effects.isEmpty || after.dialog != nil || after.message != nil || after.tab != before.tab
            || after.focus != before.focus || after.pipelineIndex != before.pipelineIndex
    }

    static let words = Reducer.commandWords

    @Test(arguments: words)
    func everyCompletedWordDoesSomethingAlone(word: String) {
        let before = loaded()
        let (after, effects) = run(word)
        #expect(didSomething(before, after, effects), ":\(word) did nothing")
        if effects.isEmpty && after.dialog == nil, let m = after.message {
            #expect(!m.text.isEmpty)
        }
    }

    @Test(arguments: words)
    func everyCompletedWordWithANonsenseArgumentSaysWhy(word: String) {
        let (after, effects) = run("\(word) zzz-nonsense")
        switch word {
        case "new", "quit", "refresh":
            // Take no argument: they still do their one thing.
            #expect(!effects.isEmpty || after.dialog != nil, ":\(word) zzz did nothing")
        case "theme":
            // The app loads the theme and reports a missing one (themeChanged with an error).
            #expect(effects == [.setTheme("zzz-nonsense")])
        default:
            #expect(after.message?.isError == true, ":\(word) zzz said nothing")
            #expect(after.message?.text.contains("zzz-nonsense") == true || after.message?.text.contains("needs") == true,
                    "\(after.message?.text ?? "")")
        }
    }

    /// Every completion of every word (tabs, themes, environments, projects, issues) does something.
    @Test func everyCompletionCandidateRuns() {
        let base = loaded()
        let r = Reducer()
        var checked = 0
        for word in Reducer.commandWords {
            for candidate in r.completions(base, word + " ") {
                let (after, effects) = run(candidate)
                #expect(after.message?.isError != true, ":\(candidate) was refused: \(after.message?.text ?? "")")
                #expect(didSomething(base, after, effects) || after.projectIndex != base.projectIndex, ":\(candidate) did nothing")
                checked += 1
            }
        }
        #expect(checked >= DetailTab.allCases.count + 4 + 2, "tabs, themes, issues, envs and the project were offered")
    }

    @Test func tabWithAnUnknownNameSaysWhichTabsExist() {
        let (s, effects) = run("tab foo")
        #expect(effects.isEmpty)
        #expect(s.message?.isError == true)
        #expect(s.message?.text == "no tab foo (overview, sql, checks, approvals, logs, history)")
        let (ok, _) = run("tab logs")
        #expect(ok.tab == .logs)
    }

    @Test func themeListsThemesAndSwitchesThroughTheApp() {
        let (s, effects) = run("theme")
        #expect(effects.isEmpty)
        #expect(s.message?.text.contains("dark") == true && s.message?.text.contains("light") == true)
        let (_, switching) = run("theme light")
        #expect(switching == [.setTheme("light")])
        var t = loaded()
        _ = Reducer().reduce(&t, .themeChanged(name: "nope", error: "no theme named 'nope'"))
        #expect(t.message == StatusMessage(text: "no theme named 'nope'", isError: true))
    }

    @Test func ctrlUClearsTheLineAndCtrlWDeletesAWord() {
        var s = loaded()
        let r = Reducer()
        _ = r.reduce(&s, .key(.char(":")))
        for c in "issue 12" { _ = r.reduce(&s, .key(.char(c))) }
        _ = r.reduce(&s, .key(.ctrl("w")))
        #expect(s.commandLine?.text == "issue ")
        _ = r.reduce(&s, .key(.ctrl("u")))
        #expect(s.commandLine?.text == "")
        #expect(s.commandLine != nil, "ctrl-u clears the line, it does not close it")
        #expect(s.commandLine?.completions == Reducer.commandWords)
    }

    @Test func unknownWordNamesTheCommands() {
        let (s, _) = run("frobnicate")
        #expect(s.message?.text == "unknown command :frobnicate (commands: \(Reducer.commandWords.joined(separator: ", ")))")
    }
}
