import Foundation
import GRDB

/// A plan validated against the workspace: every target resolved to databases, every rule checked.
public struct ResolvedPlan: Sendable {
    public struct Step: Sendable {
        public var title: String
        public var environment: String
        public var specs: [Spec]
    }
    public struct Spec: Sendable {
        public var id: String
        public var target: String
        public var sql: String
        public var type: SpecType
        public var schemaVersion: String?
        public var dependsOnSpecs: [String]
        public var earliestAllowedTime: Date?
        public var databases: [TargetDatabase]
    }
    public var steps: [Step]
}

/// Turns targets or a plan document into a validated plan (DESIGN §1, issue create rules).
struct Planner {
    let workspace: Workspace
    let db: Database

    /// One step per environment (in environment order), one spec per target (or per label group).
    func plan(sql: String, targets: [DatabaseRef], labels: [String: String], type: SpecType,
              schemaVersion: String?, earliest: String?) throws -> ResolvedPlan {
        var databases: [TargetDatabase] = []
        for ref in targets { databases.append(try workspace.fetchDatabase(ref, db)) }
        if !labels.isEmpty {
            let matched = try workspace.fetchDatabases(db, labels: labels)
            guard !matched.isEmpty else {
                throw SluiceError.notFound("no database has the labels \(Planner.describe(labels))", hint: "See `sluice db list --label k=v`.")
            }
            databases.append(contentsOf: matched)
        }
        guard !databases.isEmpty else {
            throw SluiceError.usage("no target database", hint: "Give --target INSTANCE/DB (repeatable), --label k=v or --plan FILE.")
        }
        var seen = Set<Int64>()
        databases = databases.filter { seen.insert($0.id).inserted }
        let when = try earliest.map { try Planner.parseTime($0, spec: "the issue") }
        try Planner.requireSQL(sql, type: type, spec: "the issue")
        let envOrder = try environmentOrder()
        let groups = Dictionary(grouping: databases, by: \.environment)
        var steps: [ResolvedPlan.Step] = []
        var counter = 0
        for env in groups.keys.sorted(by: { (envOrder[$0] ?? 0, $0) < (envOrder[$1] ?? 0, $1) }) {
            let dbs = groups[env] ?? []
            var specs: [ResolvedPlan.Spec] = []
            if targets.isEmpty {
                counter += 1
                specs.append(.init(id: "spec-\(counter)", target: "labels:" + Planner.describe(labels), sql: sql, type: type,
                                   schemaVersion: schemaVersion, dependsOnSpecs: [], earliestAllowedTime: when, databases: dbs))
            } else {
                for d in dbs {
                    counter += 1
                    specs.append(.init(id: "spec-\(counter)", target: d.ref.description, sql: sql, type: type,
                                       schemaVersion: schemaVersion, dependsOnSpecs: [], earliestAllowedTime: when, databases: [d]))
                }
            }
            steps.append(.init(title: env, environment: env, specs: specs))
        }
        return ResolvedPlan(steps: steps)
    }

    /// Validates a Bytebase-shaped plan: targets, SQL, one environment per step, dependencies, times.
    func plan(document: PlanDocument) throws -> ResolvedPlan {
        guard !document.steps.isEmpty else { throw SluiceError.usage("the plan has no steps") }
        var steps: [ResolvedPlan.Step] = []
        var allIds = Set<String>()
        var counter = 0
        for (stepIndex, step) in document.steps.enumerated() {
            let stepName = step.title.map { "step \(stepIndex + 1) (\($0))" } ?? "step \(stepIndex + 1)"
            guard !step.specs.isEmpty else { throw SluiceError.usage("\(stepName) has no specs") }
            var specs: [ResolvedPlan.Spec] = []
            for spec in step.specs {
                counter += 1
                let id = spec.id?.isEmpty == false ? spec.id! : "spec-\(counter)"
                guard allIds.insert(id).inserted else { throw SluiceError.usage("spec id '\(id)' is used twice in the plan") }
                let cfg = spec.changeDatabaseConfig
                let type: SpecType
                if let t = cfg.type {
                    guard let parsed = SpecType(rawValue: t.uppercased()) else {
                        throw SluiceError.usage("spec \(id): type '\(t)' is not MIGRATE, DATA or BASELINE")
                    }
                    type = parsed
                } else { type = .migrate }
                try Planner.requireSQL(cfg.sheet, type: type, spec: "spec \(id)")
                let dbs = try resolveTarget(cfg.target, spec: id)
                let when = try spec.earliestAllowedTime.map { try Planner.parseTime($0, spec: "spec \(id)") }
                specs.append(.init(id: id, target: cfg.target, sql: cfg.sheet, type: type, schemaVersion: cfg.schemaVersion,
                                   dependsOnSpecs: spec.dependsOnSpecs ?? [], earliestAllowedTime: when, databases: dbs))
            }
            let envs = Set(specs.flatMap { $0.databases.map(\.environment) })
            guard envs.count == 1, let env = envs.first else {
                throw SluiceError.usage("\(stepName) spans the environments \(envs.sorted().joined(separator: " and "))",
                                        hint: "Put the databases of each environment in a step of their own.")
            }
            try Planner.checkDependencies(specs, stepName: stepName)
            steps.append(.init(title: step.title ?? env, environment: env, specs: specs))
        }
        return ResolvedPlan(steps: steps)
    }

    private func resolveTarget(_ target: String, spec: String) throws -> [TargetDatabase] {
        if target.hasPrefix("labels:") {
            let items = target.dropFirst("labels:".count).split(separator: ",").map(String.init)
            let labels = try Workspace.parseLabels(items)
            let dbs = try workspace.fetchDatabases(db, labels: labels)
            guard !dbs.isEmpty else { throw SluiceError.notFound("spec \(spec): no database has the labels \(Planner.describe(labels))") }
            return dbs
        }
        let ref = try DatabaseRef(parsing: target)
        do { return [try workspace.fetchDatabase(ref, db)] } catch let e as SluiceError {
            throw SluiceError(e.kind, "spec \(spec): \(e.message)", hint: e.hint)
        }
    }

    private func environmentOrder() throws -> [String: Int] {
        Dictionary(uniqueKeysWithValues: try Row.fetchAll(db, sql: "SELECT name, position FROM environment").map { ($0["name"], $0["position"]) })
    }

    /// Every sheet entering the workspace passes here (issue create, both plan inputs, and edit SQL):
    /// not empty unless a baseline, and nothing but what review shows (`SheetText`).
    static func requireSQL(_ sql: String, type: SpecType, spec: String) throws {
        try SheetText.validate(sql, in: spec)
        if type != .baseline && sql.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
            throw SluiceError.usage("\(spec): the SQL is empty", hint: "Give the statements to run, or use --type BASELINE to record the schema only.")
        }
    }

    /// Every dependency must be in the same step, and the graph must be acyclic.
    static func checkDependencies(_ specs: [ResolvedPlan.Spec], stepName: String) throws {
        let ids = Set(specs.map(\.id))
        for s in specs {
            for d in s.dependsOnSpecs where !ids.contains(d) {
                throw SluiceError.usage("spec \(s.id) depends on '\(d)', which is not in \(stepName)",
                                        hint: "dependsOnSpecs may only name specs of the same step.")
            }
        }
        let deps = Dictionary(uniqueKeysWithValues: specs.map { ($0.id, $0.dependsOnSpecs) })
        var state: [String: Int] = [:] // 1 visiting, 2 done
        var path: [String] = []
        func visit(_ id: String) throws {
            if state[id] == 2 { return }
            if state[id] == 1 {
                let cycle = path[(path.firstIndex(of: id) ?? 0)...] + [id]
                throw SluiceError.usage("dependsOnSpecs cycle in \(stepName): \(cycle.joined(separator: " → "))",
                                        hint: "Remove one of these dependencies.")
            }
            state[id] = 1
            path.append(id)
            for d in deps[id] ?? [] { try visit(d) }
            path.removeLast()
            state[id] = 2
        }
        for s in specs { try visit(s.id) }
    }

    /// ISO 8601 with or without fractional seconds; a time zone is required.
    static func parseTime(_ text: String, spec: String) throws -> Date {
        let f = ISO8601DateFormatter()
        f.formatOptions = [.withInternetDateTime]
        if let d = f.date(from: text) { return d }
        f.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        if let d = f.date(from: text) { return d }
        throw SluiceError.usage("\(spec): earliestAllowedTime '\(text)' is not an ISO 8601 time",
                                hint: "Write it like 2026-11-21T22:00:00Z or 2026-11-21T23:00:00+01:00.")
    }

    static func describe(_ labels: [String: String]) -> String {
        labels.keys.sorted().map { "\($0)=\(labels[$0] ?? "")" }.joined(separator: ",")
    }
}
