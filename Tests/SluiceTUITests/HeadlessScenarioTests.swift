import Foundation
@testable import SluiceEngine
@testable import SluiceTUI
import Testing

/// Scripted key sequences against a real engine on a temporary workspace, no terminal:
/// sign in, create an issue, approve as the right member, roll out, see DONE.
@Suite(.serialized) struct HeadlessScenarioTests {
    @Test func signInCreateApproveRollOutToDone() throws {
        let fx = try DemoFixture()
        let ws = fx.workspace
        _ = try ws.addFlow(by: DemoFixture.admin, name: "dba-review", roles: ["dba"])
        _ = try ws.setApprovalRule(by: DemoFixture.admin, source: "DDL", level: "LOW", flow: "dba-review")
        let scheduler = try RolloutScheduler(workspace: ws, options: .init(workers: 2, pollInterval: 0.05))
        scheduler.start()
        defer { scheduler.stop() }

        // The developer signs in through the dialog and creates an issue with the form.
        let dev = fx.store(as: nil)
        dev.press(.char("x"))
        guard case .signIn = dev.state.dialog else { Issue.record("no sign-in dialog"); return }
        dev.dispatch(.key(.backspace))
        dev.typeText("dev@example.com")
        dev.press(.tab)
        dev.typeText("wrong")
        dev.press(.enter)
        #expect(dev.settle(until: { if case .signIn(let d) = $0.dialog { return d.error != nil }; return false }))
        dev.typeText("sluice-demo-pw")
        dev.press(.enter)
        #expect(dev.settle(until: { $0.principal?.email == "dev@example.com" && $0.loaded }))
        dev.press(.char("+"))
        dev.typeText("Add loyalty column")
        dev.press(.enter, .enter)
        dev.typeText("ALTER TABLE customers ADD COLUMN loyalty INTEGER;")
        dev.press(.ctrl("s"))
        guard case .createIssue(let form) = dev.state.dialog else { Issue.record("no form"); return }
        #expect(form.step == .preview)
        #expect(Renderer.render(dev.state, size: dev.state.size).text.contains("Stage 2  prod"))
        dev.press(.enter)
        #expect(dev.settle(until: { $0.selectedIssue?.title == "Add loyalty column" && $0.detail != nil }))
        let id = try #require(dev.state.selectedIssue?.id)
        #expect(dev.state.detail?.issue.approvalStatus == .pending)
        // The developer may not approve: the key says why, in the engine's words.
        dev.press(.char("a"))
        #expect(dev.state.message?.text.contains("is not an approver of this step (needs role dba)") == true, "\(dev.state.message?.text ?? "")")

        // The DBA approves; the automatic test stage runs; then the DBA rolls out to prod.
        let dba = fx.store(as: DemoFixture.dba)
        dba.typeText(":issue \(id)")
        dba.press(.enter)
        #expect(dba.state.selectedIssue?.id == id)
        dba.press(.char("a"))
        dba.typeText("looks fine")
        dba.press(.enter)
        #expect(dba.settle(until: { $0.detail?.issue.approvalStatus == .approved }))
        #expect(dba.settle(until: { s in
            dba.enqueue(.workspaceChanged)
            return s.detail?.stages.first?.finished == true
        }, timeout: 20))
        dba.press(.char("r"))
        dba.typeText("prod")
        dba.press(.enter)
        dba.press(.char("0"), .char("]"), .char("]"), .char("]"), .char("]"))
        #expect(dba.state.tab == .logs)
        #expect(dba.settle(until: { s in
            dba.enqueue(.workspaceChanged)
            return s.detail?.issue.status == .done
        }, timeout: 20))
        let text = Renderer.render(dba.state, size: dba.state.size).text
        #expect(text.contains("DONE"), "\(text)")
        #expect(try ws.issue(id, by: DemoFixture.dba).status == .done)
    }

    /// The governance tutorial from the keyboard: "DDL on prod is HIGH" with flow owner → dba.
    /// The Approvals tab shows the owner as next; the developer cannot act and sees why; the
    /// owner approves with `a`; then the DBA is next, for everyone watching.
    @Test func approvalsTabFollowsTheOwnerThenDBAFlow() throws {
        let fx = try DemoFixture()
        let issue = try fx.highRiskIssueWithOwnerThenDBAFlow()
        func openApprovals(_ store: Store) {
            store.typeText(":issue \(issue.id)")
            store.press(.enter, .char("0"), .char("]"), .char("]"), .char("]"))
        }

        let dev = fx.store(as: DemoFixture.dev)
        openApprovals(dev)
        #expect(dev.state.tab == .approvals)
        var text = dev.frame.text
        #expect(text.contains("Next      owner  owner@example.com"), "\(text)")
        #expect(text.contains("✗ cannot act: dev@example.com is not an approver of this step"), "\(text)")
        dev.press(.char("a"))
        #expect(dev.state.dialog == nil)
        #expect(dev.state.message?.text.contains("is not an approver of this step (needs role owner)") == true)
        #expect(dev.frame.text.contains("not an approver of this step (needs role owner)"), "the status line shows the refusal")

        let owner = fx.store(as: DemoFixture.owner)
        openApprovals(owner)
        #expect(owner.frame.text.contains("✓ you can approve or reject as owner"))
        owner.press(.char("a"))
        owner.typeText("schema change reviewed")
        owner.press(.enter)
        #expect(owner.settle(until: { $0.approvalProgress?.nextRole == "dba" }))
        text = owner.frame.text
        #expect(text.contains("1  ✓ approved  owner  owner@example.com"), "\(text)")
        #expect(text.contains("2  ▶ next      dba"), "\(text)")
        #expect(text.contains("Next      dba  dba@example.com"), "\(text)")
        #expect(text.contains("approved as owner: schema change reviewed"), "\(text)")
        #expect(text.contains("cannot act: owner@example.com is not an approver of this step"), "\(text)")

        // Another member's screen follows once the workspace changes.
        dev.enqueue(.workspaceChanged)
        #expect(dev.settle(until: { $0.approvalProgress?.nextRole == "dba" }))
        #expect(dev.frame.text.contains("Next      dba  dba@example.com"))
        let dba = fx.store(as: DemoFixture.dba)
        openApprovals(dba)
        #expect(dba.frame.text.contains("✓ you can approve or reject as dba"))
        #expect(try fx.workspace.issue(issue.id, by: DemoFixture.dba).approvalStatus == .pending)
    }
}
