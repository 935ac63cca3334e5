import Foundation
@testable import SluiceEngine
@testable import SluiceTUI
import Testing

/// The Approvals tab on the governance tutorial's setup ("DDL on prod is HIGH" → owner, then
/// DBA): the view model mapped from the engine's approval progress, the keys, the frames.
@Suite(.serialized) struct ApprovalsTabTests {
    let fixture: DemoFixture
    let issue: SluiceEngine.Issue
    init() throws {
        fixture = try DemoFixture()
        issue = try fixture.highRiskIssueWithOwnerThenDBAFlow()
    }

    /// The store of `member`, on the high-risk issue's Approvals tab.
    func onApprovals(_ member: Principal, size: Size = Size(width: 120, height: 36)) -> Store {
        let store = fixture.store(as: member, size: size)
        store.typeText(":issue \(issue.id)")
        store.press(.enter)
        store.typeText(":tab approvals")
        store.press(.enter, .char("0"))
        return store
    }

    @Test func theViewModelMapsRiskStepsNextAndWhetherYouCanAct() throws {
        let dev = onApprovals(DemoFixture.dev).state
        let d = try #require(dev.detail)
        var vm = ApprovalsViewModel(detail: d, progress: dev.approvalProgress)
        #expect(vm.risk == .high && vm.riskSource == "DDL")
        #expect(vm.riskReason.contains("rule \"DDL on prod is HIGH\" matched"), "\(vm.riskReason)")
        #expect(vm.steps.map(\.role) == ["owner", "dba"])
        #expect(vm.steps.map(\.badge.word) == ["next", "waiting"])
        #expect(vm.nextRole == "owner" && vm.nextApprovers == ["owner@example.com"])
        #expect(vm.canAct == false)
        #expect(vm.note == "dev@example.com is not an approver of this step (needs role owner)")

        _ = try fixture.workspace.approve(by: DemoFixture.owner, issue: issue.id, comment: "ok by me")
        let dba = onApprovals(DemoFixture.dba).state
        vm = ApprovalsViewModel(detail: try #require(dba.detail), progress: dba.approvalProgress)
        #expect(vm.steps[0].status == "APPROVED" && vm.steps[0].approver == "owner@example.com" && vm.steps[0].at != nil)
        #expect(vm.steps.map(\.badge.word) == ["approved", "next"])
        #expect(vm.nextRole == "dba" && vm.nextApprovers == ["dba@example.com"])
        #expect(vm.canAct == true && vm.note == "you can approve or reject as dba")
        #expect(vm.events.contains { $0.kind == "APPROVE" && $0.text == "approved as owner: ok by me" })
    }

    @Test func untilTheProgressLoadsTheStepsComeFromTheIssue() throws {
        let s = onApprovals(DemoFixture.dev).state
        let vm = ApprovalsViewModel(detail: try #require(s.detail), progress: nil)
        #expect(vm.steps.map(\.role) == ["owner", "dba"] && vm.steps.allSatisfy { $0.at == nil })
        #expect(vm.canAct == nil && vm.note == "loading…")
        #expect(vm.nextRole == "owner")
    }

    @Test func approveAsksAnOptionalCommentAndRejectRequiresOne() {
        let store = onApprovals(DemoFixture.owner)
        var s = store.state
        let r = Reducer()
        #expect(s.tab == .approvals && s.focus == .detail)
        _ = r.reduce(&s, .key(.char("a")))
        guard case .input(let approve) = s.dialog else { Issue.record("no approve dialog"); return }
        #expect(approve.optional && approve.purpose == .approve(issue: issue.id))
        #expect(r.reduce(&s, .key(.enter)) == [.perform(.approve(issue: issue.id, comment: nil))])

        _ = r.reduce(&s, .key(.char("x")))
        guard case .input(let reject) = s.dialog else { Issue.record("no reject dialog"); return }
        #expect(!reject.optional && reject.purpose == .reject(issue: issue.id))
        #expect(r.reduce(&s, .key(.enter)).isEmpty, "an empty comment does not reject")
        #expect(s.message?.isError == true)
        for c in "split it" { _ = r.reduce(&s, .key(.char(c))) }
        #expect(r.reduce(&s, .key(.enter)) == [.perform(.reject(issue: issue.id, comment: "split it"))])
        #expect(s.dialog == nil)
    }

    @Test func aMemberWhoMayNotActGetsTheEnginesReasonAndNoDialog() {
        let store = onApprovals(DemoFixture.dev)
        var s = store.state
        for key in ["a", "x"] {
            s.message = nil
            #expect(Reducer().reduce(&s, .key(.char(Character(key)))).isEmpty)
            #expect(s.dialog == nil)
            #expect(s.message?.isError == true)
            #expect(s.message?.text.hasSuffix("permission denied: dev@example.com is not an approver of this step (needs role owner)") == true,
                    "\(s.message?.text ?? "")")
        }
        // When the engine refuses anyway (the state changed meanwhile), its message is shown too.
        _ = Reducer().reduce(&s, .commandFailed(.approve(issue: issue.id, comment: nil), message: "issue #\(issue.id) is already approved"))
        #expect(s.message == StatusMessage(text: "issue #\(issue.id) is already approved", isError: true))
    }

    @Test func aSelectionChangeDropsTheOldProgress() {
        var s = onApprovals(DemoFixture.dev).state
        #expect(s.approvalProgress != nil)
        _ = Reducer().reduce(&s, .key(.char("2")))
        _ = Reducer().reduce(&s, .key(.char("j")))
        #expect(s.approvalProgress == nil && s.detail == nil)
    }

    @Test func framesForTheMemberWhoCannotActAndTheOneWhoCan() throws {
        setenv("TZ", "UTC", 1)
        tzset()
        var dev = onApprovals(DemoFixture.dev).state
        SnapshotTests.fixTimes(&dev)
        let devFrame = Renderer.render(dev, size: dev.size)
        Snapshot.check(devFrame, named: "approvals-dev-120x36")
        #expect(devFrame.text.contains("Next      owner  owner@example.com"))
        #expect(devFrame.text.contains("You       ✗ cannot act: dev@example.com is not an approver of this step"))

        _ = try fixture.workspace.approve(by: DemoFixture.owner, issue: issue.id)
        var dba = onApprovals(DemoFixture.dba, size: Size(width: 80, height: 24)).state
        SnapshotTests.fixTimes(&dba)
        let dbaFrame = Renderer.render(dba, size: dba.size)
        Snapshot.check(dbaFrame, named: "approvals-dba-80x24")
        #expect(dbaFrame.text.contains("1  ✓ approved  owner  owner@example.com"))
        // The status bar offers the approval keys on this tab.
        #expect(dbaFrame.rowText(23).contains("a approve  x reject  u re-request"))
    }
}
