import Foundation
@testable import SluiceEngine
@testable import SluiceTUI
import Testing

/// The reducer on state loaded from a real demo workspace: keys in, state and effects out.
@Suite struct ReducerTests {
    let fixture: DemoFixture
    init() throws { fixture = try DemoFixture() }

    func loaded() -> AppState { fixture.store(as: DemoFixture.dba).state }

    @Test func loadsTheDemoAndSelectsTheNewestIssue() {
        let s = loaded()
        #expect(s.projects.map(\.key) == ["DEMO"])
        #expect(s.visibleIssues.count == 2)
        #expect(s.selectedIssue?.title == "Add phone column to customers")
        #expect(s.detail?.issue.id == s.selectedIssue?.id)
        #expect(s.pipeline.first == .stage(0))
    }

    @Test func movingTheIssueCursorLoadsThatIssue() {
        var s = loaded()
        let effects = Reducer().reduce(&s, .key(.char("j")))
        #expect(s.issueIndex == 1)
        #expect(effects == [.loadIssue(s.selectedIssue!.id)])
        #expect(s.detail == nil, "the old issue's detail is dropped at once")
        _ = Reducer().reduce(&s, .key(.char("j")))
        #expect(s.issueIndex == 1, "the cursor stops at the last row")
        _ = Reducer().reduce(&s, .key(.char("g")))
        #expect(s.issueIndex == 0)
    }

    @Test func panesAndTabs() {
        var s = loaded()
        let r = Reducer()
        _ = r.reduce(&s, .key(.char("3")))
        #expect(s.focus == .pipeline)
        _ = r.reduce(&s, .key(.tab))
        #expect(s.focus == .detail)
        _ = r.reduce(&s, .key(.backTab))
        #expect(s.focus == .pipeline)
        _ = r.reduce(&s, .key(.char("0")))
        #expect(s.focus == .detail)
        _ = r.reduce(&s, .key(.char("[")))
        #expect(s.tab == .history)
        let effects = r.reduce(&s, .key(.char("[")))
        #expect(s.tab == .logs)
        #expect(effects.count == 1, "opening Logs loads the selected task's log")
        if case .loadLog(_, let after) = effects.first { #expect(after == 0) } else { Issue.record("no log load") }
    }

    @Test func filterNarrowsTheIssuesAndEscClearsIt() {
        var s = loaded()
        let r = Reducer()
        _ = r.reduce(&s, .key(.char("/")))
        #expect(s.filter.editing)
        for c in "audit" { _ = r.reduce(&s, .key(.char(c))) }
        #expect(s.visibleIssues.count == 1)
        #expect(s.selectedIssue?.title == "Create audit_log table")
        _ = r.reduce(&s, .key(.enter))
        #expect(!s.filter.editing)
        _ = r.reduce(&s, .key(.esc))
        #expect(s.filter.text.isEmpty)
        #expect(s.visibleIssues.count == 2)
    }

    @Test func protectedRolloutAsksForTheEnvironmentName() {
        var s = loaded()
        let r = Reducer()
        #expect(r.reduce(&s, .key(.char("r"))).isEmpty)
        guard case .confirm(let d) = s.dialog else { Issue.record("no confirmation"); return }
        #expect(d.typeToConfirm == "prod")
        #expect(r.reduce(&s, .key(.enter)).isEmpty, "Enter without the name does nothing")
        #expect(r.reduce(&s, .key(.char("y"))).isEmpty, "y is typed into the field, it does not confirm")
        _ = r.reduce(&s, .key(.backspace))
        for c in "prod" { _ = r.reduce(&s, .key(.char(c))) }
        let effects = r.reduce(&s, .key(.enter))
        #expect(effects == [.perform(.runStage(issue: s.selectedIssue!.id, environment: "prod"))])
        #expect(s.dialog == nil)
    }

    @Test func confirmationsFocusNo() {
        var s = loaded()
        let r = Reducer()
        _ = r.reduce(&s, .key(.char("D")))
        guard case .confirm(let d) = s.dialog else { Issue.record("no confirmation"); return }
        #expect(!d.yesFocused)
        #expect(r.reduce(&s, .key(.enter)).isEmpty, "Enter on the focused No cancels")
        #expect(s.dialog == nil)
        _ = r.reduce(&s, .key(.char("D")))
        #expect(r.reduce(&s, .key(.char("y"))) == [.perform(.resolve(issue: s.selectedIssue!.id))])
    }

    @Test func refusedActionsStayInTheMenuWithTheEnginesReason() {
        let store = fixture.store(as: DemoFixture.dev)
        var s = store.state
        let items = Reducer().menuItems(s)
        let approve = items.first { $0.command == .approve }
        #expect(approve?.refusal == "issue #\(s.selectedIssue!.id) needs no approval")
        let rollout = items.first { $0.command == .runStage }
        #expect(rollout?.refusal?.contains("missing rollouts.run") == true, "\(rollout?.refusal ?? "nil")")
        // Pressing the key says why instead of acting.
        #expect(Reducer().reduce(&s, .key(.char("r"))).isEmpty)
        #expect(s.message?.isError == true)
        #expect(s.message?.text.contains("rollouts.run") == true)
        // And the menu runs what is allowed.
        _ = Reducer().reduce(&s, .key(.char("?")))
        for c in "wrap" { _ = Reducer().reduce(&s, .key(.char(c))) }
        _ = Reducer().reduce(&s, .key(.enter))
        #expect(s.log.wrap)
    }

    @Test func commandLineCompletesAndJumps() {
        var s = loaded()
        let r = Reducer()
        _ = r.reduce(&s, .key(.char(":")))
        _ = r.reduce(&s, .key(.char("i")))
        _ = r.reduce(&s, .key(.tab))
        #expect(s.commandLine?.text == "issue ")
        _ = r.reduce(&s, .key(.char("1")))
        let effects = r.reduce(&s, .key(.enter))
        #expect(s.selectedIssue?.id == 1)
        #expect(effects == [.loadIssue(1)])
        _ = r.reduce(&s, .key(.char(":")))
        for c in "nope" { _ = r.reduce(&s, .key(.char(c))) }
        _ = r.reduce(&s, .key(.enter))
        #expect(s.message?.isError == true)
    }

    @Test func logFollowStopsWhenScrollingUpAndGResumes() {
        var s = loaded()
        let r = Reducer()
        s.tab = .logs
        s.focus = .detail
        s.log.taskId = 1
        s.log.lines = (0..<500).map { LogState.Line(time: "00:00:00.000", text: "line \($0)", role: .logInfo) }
        _ = r.reduce(&s, .key(.char("k")))
        #expect(!s.log.follow)
        #expect(s.log.top > 400)
        _ = r.reduce(&s, .key(.char("G")))
        #expect(s.log.follow)
        // Lines that arrive twice (a coalesced reload) are not appended twice.
        let before = s.log.lines.count
        _ = r.reduce(&s, .logLoaded(task: 1, runs: [], lines: [], reset: false))
        #expect(s.log.lines.count == before)
    }

    @Test func ctrlCQuitsFromAnywhereAndQOnlyAtTopLevel() {
        var s = loaded()
        let r = Reducer()
        _ = r.reduce(&s, .key(.char("/")))
        #expect(r.reduce(&s, .key(.char("q"))).isEmpty, "q is typed into the filter")
        _ = r.reduce(&s, .key(.esc))
        #expect(r.reduce(&s, .key(.char("q"))) == [.quit])
        var t = loaded()
        t.dialog = .help(HelpMenuState())
        #expect(r.reduce(&t, .key(.ctrl("c"))) == [.quit])
    }

    @Test func mouseClickSelectsARowAndWheelScrolls() {
        var s = loaded()
        let r = Reducer()
        let issues = s.layout.issues
        _ = r.reduce(&s, .mouse(MouseEvent(kind: .click, x: issues.x + 3, y: issues.y + 2)))
        #expect(s.focus == .issues)
        #expect(s.issueIndex == 1)
        _ = r.reduce(&s, .mouse(MouseEvent(kind: .wheelUp, x: issues.x + 3, y: issues.y + 2)))
        #expect(s.issueIndex == 0)
        let detail = s.layout.detail
        _ = r.reduce(&s, .mouse(MouseEvent(kind: .click, x: detail.x + 1 + DetailView.tabRanges()[1].1.lowerBound, y: detail.y + 1)))
        #expect(s.tab == .sql)
    }
}
