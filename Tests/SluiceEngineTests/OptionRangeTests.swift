import Foundation
import Testing
@testable import SluiceEngine

/// Every number a person gives the engine is checked where it is used: non-finite, negative, zero
/// where meaningless and absurdly large values are refused with the allowed range, never trapped on
/// (Double → Int) and never quietly clamped.
@Suite struct OptionRangeTests {
    static let badDoubles: [Double] = [.infinity, -.infinity, .nan, 1e300, -1, -0.5, 9_999_999_999]

    @Test(arguments: badDoubles + [0])
    func aDryRunTimeLimitOutsideItsRangeIsRefused(_ value: Double) throws {
        let t = try TestWorkspace()
        let issue = try t.issue([("test", [(id: "a", tenant: 0, sql: "CREATE TABLE x(a);", deps: [], at: nil)])])
        let e = try #require(throws: SluiceError.self) {
            _ = try t.ws.runPlanChecks(by: t.dba, issue: issue.id, options: PlanCheckOptions(dryRunTimeLimit: value))
        }
        #expect(e.message.hasPrefix("the dry-run time limit must be a number from 0.01 to 3600 seconds, not "), "\(e.message)")
        #expect(e.hint == "Give --dry-run-time-limit a number from 0.01 to 3600 seconds.")
    }

    @Test(arguments: [0, -1, 257, Int.max, Int.min])
    func aPlanCheckConcurrencyOutsideItsRangeIsRefused(_ value: Int) throws {
        let t = try TestWorkspace()
        let issue = try t.issue([("test", [(id: "a", tenant: 0, sql: "CREATE TABLE x(a);", deps: [], at: nil)])])
        let e = try #require(throws: SluiceError.self) {
            _ = try t.ws.runPlanChecks(by: t.dba, issue: issue.id, options: PlanCheckOptions(concurrency: value))
        }
        #expect(e.message == "the plan-check concurrency must be a whole number from 1 to 256, not \(value)")
    }

    @Test func limitsAtTheirBoundsAreAccepted() throws {
        let t = try TestWorkspace()
        let issue = try t.issue([("test", [(id: "a", tenant: 0, sql: "CREATE TABLE x(a);", deps: [], at: nil)])])
        _ = try t.ws.runPlanChecks(by: t.dba, issue: issue.id, options: PlanCheckOptions(dryRunTimeLimit: 3600, concurrency: 256))
        _ = try t.ws.runPlanChecks(by: t.dba, issue: issue.id, options: PlanCheckOptions(dryRunTimeLimit: 0.01, concurrency: 1))
        try RolloutScheduler.Options.validate(workers: 256, leaseSeconds: 0.5, pollInterval: 60)
        try RolloutScheduler.Options.validate(workers: 1, leaseSeconds: 3600, pollInterval: 0.01)
        _ = try t.ws.addEnvironment(by: t.admin, name: "first", order: -1_000_000, protected: false, autoRollout: false, rolloutRoles: nil)
        _ = try t.ws.addInstance(by: t.admin, name: "big", engine: .sqlite, location: t.dir, environment: "test", maxConnections: 10_000)
    }

    /// (workers, lease, poll, fragment).
    static let schedulerCases: [(Int, Double, Double, String)] = [
        (0, 15, 0.1, "workers must be a whole number from 1 to 256, not 0"),
        (-5, 15, 0.1, "workers must be a whole number from 1 to 256, not -5"),
        (100_000, 15, 0.1, "not 100000"),
        (8, .infinity, 0.1, "the lease must be a number from 0.5 to 3600 seconds, not infinite"),
        (8, .nan, 0.1, "the lease must be a number from 0.5 to 3600 seconds, not not a number"),
        (8, 0, 0.1, "the lease must be a number from 0.5 to 3600 seconds, not 0"),
        (8, 0.1, 0.1, "not 0.1"),
        (8, 1e300, 0.1, "the lease must be"),
        (8, 15, 0, "the poll interval must be a number from 0.01 to 60 seconds, not 0"),
        (8, 15, -.infinity, "not infinite"),
    ]

    @Test(arguments: schedulerCases)
    func schedulerOptionsOutsideTheirRangeAreRefused(_ workers: Int, _ lease: Double, _ poll: Double, _ fragment: String) throws {
        let e = try #require(throws: SluiceError.self) {
            try RolloutScheduler.Options.validate(workers: workers, leaseSeconds: lease, pollInterval: poll)
        }
        #expect(e.kind == .usage)
        #expect(e.message.contains(fragment), "\(e.message)")
    }

    @Test(arguments: [0, -1, 10_001, 999_999_999_999])
    func maxConnectionsOutsideItsRangeIsRefused(_ value: Int) throws {
        let t = try TestWorkspace()
        let e = try #require(throws: SluiceError.self) {
            _ = try t.ws.addInstance(by: t.admin, name: "x", engine: .sqlite, location: t.dir, environment: "test", maxConnections: value)
        }
        #expect(e.message == "max connections must be a whole number from 1 to 10000, not \(value)")
        let pg = try #require(throws: SluiceError.self) {
            _ = try t.ws.addPostgresInstance(by: t.admin, name: "pg", conninfo: "host=localhost dbname=x", environment: "test", maxConnections: value)
        }
        #expect(pg.message == e.message)
    }

    @Test(arguments: [-1, 2_147_483_648, Int.max])
    func aTimeoutOutsidePostgresRangeIsRefused(_ ms: Int) throws {
        let t = try TestWorkspace()
        let e = try #require(throws: SluiceError.self) {
            _ = try t.ws.addPostgresInstance(by: t.admin, name: "pg", conninfo: "host=localhost dbname=x", environment: "test", lockTimeoutMs: ms)
        }
        #expect(e.message.contains("a PostgreSQL timeout must be a whole number from 0 to 2147483647 milliseconds (0 for none), not \(ms)"), "\(e.message)")
    }

    /// Seconds become milliseconds only once checked: no trap on infinities or 1e300.
    @Test(arguments: badDoubles + [2_147_484])
    func timeoutSecondsAreCheckedBeforeConversion(_ seconds: Double) throws {
        let e = try #require(throws: SluiceError.self) { _ = try Limits.milliseconds(seconds, Limits.lockTimeoutSeconds) }
        #expect(e.message.hasPrefix("the lock timeout must be a number from 0 to 2147483 seconds, not "), "\(e.message)")
        #expect(try Limits.milliseconds(2_147_483, Limits.statementTimeoutSeconds) == 2_147_483_000)
        #expect(try Limits.milliseconds(0.0004, Limits.statementTimeoutSeconds) == 0)
    }

    @Test(arguments: [1_000_001, -1_000_001, Int.max, Int.min])
    func anEnvironmentOrderOutsideItsRangeIsRefused(_ order: Int) throws {
        let t = try TestWorkspace()
        let e = try #require(throws: SluiceError.self) {
            _ = try t.ws.addEnvironment(by: t.admin, name: "staging", order: order, protected: false, autoRollout: false, rolloutRoles: nil)
        }
        #expect(e.message == "an environment's order must be a whole number from -1000000 to 1000000, not \(order)")
        // A negative order is meaningful: the environment comes first.
        _ = try t.ws.addEnvironment(by: t.admin, name: "staging", order: -5, protected: false, autoRollout: false, rolloutRoles: nil)
        #expect(try t.ws.environments().first?.name == "staging")
    }
}
