import Foundation
import Testing
@testable import SluiceEngine

/// The environment's rollout policy binds every action that moves a rollout (run a stage, retry,
/// skip, cancel) the same way: on prod (rollout roles admin, dba, owner, releaser) a custom role
/// holding the bare permissions is refused; on test (no rollout roles) it is not. The preflight
/// (`availability`) says the same as the action.
@Suite struct RolloutPolicyTests {
    enum Action: String, CaseIterable { case runStage = "run stage", retry, skip, cancel }

    struct Case: CustomStringConvertible {
        var action: Action
        var environment: String
        var actor: String
        var allowed: Bool
        var description: String { "\(action.rawValue) on \(environment) as \(actor)" }
    }

    /// Every action × {a role the policy names, a custom role outside it} × {prod, test}.
    static let cases: [Case] = Action.allCases.flatMap { action in
        [Case(action: action, environment: "prod", actor: "releaser", allowed: true),
         Case(action: action, environment: "prod", actor: "operator", allowed: false),
         Case(action: action, environment: "test", actor: "releaser", allowed: true),
         Case(action: action, environment: "test", actor: "operator", allowed: true)]
    }

    /// A project member whose custom role grants every rollout permission but is in no rollout policy.
    static let operatorMember = Principal(email: "op@example.com", name: "Op", role: "member")

    static func workspace() throws -> TestWorkspace {
        let t = try TestWorkspace()
        _ = try t.ws.addCustomRole(by: t.admin, name: "operator", permissions: ["issues.get", "rollouts.run", "tasks.skip", "tasks.cancel"])
        _ = try t.ws.addMember(by: t.admin, email: operatorMember.email, role: "member", password: "member-password")
        _ = try t.ws.addProjectMember(by: t.admin, project: "P", email: operatorMember.email, role: "operator")
        return t
    }

    /// Brings a fresh one-stage issue on `environment` to the state the action needs; returns the issue and its task.
    static func prepare(_ t: TestWorkspace, _ action: Action, on environment: String) throws -> (issue: Int64, task: Int64) {
        let issue = try t.ws.createIssue(by: t.admin, project: "P", title: "policy", plan: .targets(
            sql: "CREATE TABLE policy_\(UUID().uuidString.prefix(8))(a);", databases: [t.ref(environment, 0)], labels: [:],
            type: .migrate, schemaVersion: nil, earliestAllowedTime: nil))
        let task = try #require(t.tasks(issue.id).first).id
        switch action {
        case .runStage, .skip: break
        case .retry:
            _ = try t.ws.runStage(by: t.admin, issue: issue.id, environment: environment)
            _ = try t.ws.cancelTask(by: t.admin, task: task)
        case .cancel:
            _ = try t.ws.runStage(by: t.admin, issue: issue.id, environment: environment)
        }
        return (issue.id, task)
    }

    static func perform(_ t: TestWorkspace, _ action: Action, issue: Int64, task: Int64, environment: String, as actor: Principal) throws {
        switch action {
        case .runStage: _ = try t.ws.runStage(by: actor, issue: issue, environment: environment)
        case .retry: _ = try t.ws.retryTask(by: actor, task: task)
        case .skip: _ = try t.ws.skipTask(by: actor, task: task, reason: "done by hand")
        case .cancel: _ = try t.ws.cancelTask(by: actor, task: task)
        }
    }

    static func preflight(_ a: IssueActionAvailability, _ action: Action, task: Int64) -> String? {
        switch action {
        case .runStage: a.runStage
        case .retry: a.tasks[task]?.retry
        case .skip: a.tasks[task]?.skip
        case .cancel: a.tasks[task]?.cancel
        }
    }

    static let permission: [Action: Permission] = [.runStage: .rolloutsRun, .retry: .rolloutsRun, .skip: .tasksSkip, .cancel: .tasksCancel]

    @Test(arguments: cases)
    func rolloutPolicyBindsTheAction(_ c: Case) throws {
        let t = try Self.workspace()
        let actor = c.actor == "operator" ? Self.operatorMember : t.releaser
        let (issue, task) = try Self.prepare(t, c.action, on: c.environment)
        let predicted = Self.preflight(try t.ws.availability(issue: issue, by: actor), c.action, task: task)
        do {
            try Self.perform(t, c.action, issue: issue, task: task, environment: c.environment, as: actor)
            #expect(c.allowed, "\(c): allowed, expected a refusal")
            #expect(predicted == nil, "\(c): the action succeeded but availability said: \(predicted ?? "")")
        } catch let e as SluiceError where e.kind == .permissionDenied {
            #expect(!c.allowed, "\(c): refused: \(e.message)")
            #expect(e.message.contains("rollout policy allows only the roles admin, dba, owner, releaser"), "\(e.message)")
            #expect(e.message.contains(c.environment))
            #expect(e.permission == Self.permission[c.action]?.rawValue)
            #expect(e.hint?.contains("rollout roles of prod") == true)
            #expect(predicted == e.message, "\(c): availability said \(predicted ?? "allowed")")
        }
    }

    /// The rule is one function: each action's refusal names what that action is.
    @Test func eachRefusalNamesItsAction() throws {
        let t = try Self.workspace()
        let verbs: [Action: String] = [.runStage: "cannot roll out in prod", .retry: "cannot retry tasks in prod",
                                       .skip: "cannot skip tasks in prod", .cancel: "cannot cancel tasks in prod"]
        for action in Action.allCases {
            let (issue, task) = try Self.prepare(t, action, on: "prod")
            let error = #expect(throws: SluiceError.self) {
                try Self.perform(t, action, issue: issue, task: task, environment: "prod", as: Self.operatorMember)
            }
            #expect(error?.message.contains(verbs[action] ?? "?") == true, "\(error?.message ?? "")")
        }
    }
}
