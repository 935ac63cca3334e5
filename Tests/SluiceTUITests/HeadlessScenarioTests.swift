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
        dev.typeText("sluice")
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
}
