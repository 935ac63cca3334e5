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
            _ = try LabelSelector(labels: labels, in: "the issue")
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
        try schemaVersion.map { try Planner.checkSchemaVersion($0, at: "the issue") }
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
    /// Every refusal names the JSON path of what is wrong (`steps[0].specs[1].dependsOnSpecs`).
    func plan(document: PlanDocument) throws -> ResolvedPlan {
        guard !document.steps.isEmpty else {
            throw SluiceError.usage("the plan has no steps: steps is empty", hint: "Give at least one step with at least one spec.")
        }
        var steps: [ResolvedPlan.Step] = []
        var idPaths: [String: String] = [:]
        var counter = 0
        for (stepIndex, step) in document.steps.enumerated() {
            let at = "steps[\(stepIndex)]"
            let stepName = step.title.map { "step \(stepIndex + 1) (\(TerminalText.line($0)))" } ?? "step \(stepIndex + 1)"
            guard !step.specs.isEmpty else {
                throw SluiceError.usage("\(stepName) has no specs: \(at).specs is empty", hint: "Give the step at least one spec, or remove it.")
            }
            if let title = step.title, title.trimmingCharacters(in: .whitespaces).isEmpty {
                throw SluiceError.usage("\(at).title is empty", hint: "Leave the title out to name the step after its environment.")
            }
            var specs: [ResolvedPlan.Spec] = []
            for (specIndex, spec) in step.specs.enumerated() {
                counter += 1
                let sat = "\(at).specs[\(specIndex)]"
                let id = try Planner.specId(spec.id, at: sat) ?? "spec-\(counter)"
                if let first = idPaths[id] {
                    throw SluiceError.usage("spec id '\(id)' is used twice in the plan: at \(first) and at \(sat)",
                                            hint: "Give every spec an id of its own (or leave ids out to number them).")
                }
                idPaths[id] = sat
                let cfg = spec.changeDatabaseConfig
                let type = try Planner.specType(cfg.type, spec: id, at: sat + ".changeDatabaseConfig.type")
                try Planner.at(sat + ".changeDatabaseConfig.sheet") { try Planner.requireSQL(cfg.sheet, type: type, spec: "spec \(id)") }
                try cfg.schemaVersion.map { try Planner.checkSchemaVersion($0, at: "spec \(id) (\(sat).changeDatabaseConfig.schemaVersion)") }
                let dbs = try resolveTarget(cfg.target, spec: id, at: sat + ".changeDatabaseConfig.target")
                let when = try spec.earliestAllowedTime.map { try Planner.parseTime($0, spec: "spec \(id) (\(sat).earliestAllowedTime)") }
                let depends = spec.dependsOnSpecs ?? []
                if let twice = depends.first(where: { d in depends.filter { $0 == d }.count > 1 }) {
                    throw SluiceError.usage("spec \(id) names '\(TerminalText.line(twice))' twice in \(sat).dependsOnSpecs", hint: "Name each spec once.")
                }
                if depends.contains(id) {
                    throw SluiceError.usage("spec \(id) depends on itself in \(sat).dependsOnSpecs, so it could never start",
                                            hint: "Remove '\(id)' from its own dependsOnSpecs.")
                }
                specs.append(.init(id: id, target: cfg.target, sql: cfg.sheet, type: type, schemaVersion: cfg.schemaVersion,
                                   dependsOnSpecs: depends, earliestAllowedTime: when, databases: dbs))
            }
            let envs = Set(specs.flatMap { $0.databases.map(\.environment) })
            guard envs.count == 1, let env = envs.first else {
                throw SluiceError.usage("\(stepName) (\(at)) spans the environments \(envs.sorted().joined(separator: " and "))",
                                        hint: "Put the databases of each environment in a step of their own.")
            }
            try Planner.checkDependencies(specs, stepName: "\(stepName) (\(at))")
            steps.append(.init(title: step.title ?? env, environment: env, specs: specs))
        }
        return ResolvedPlan(steps: steps)
    }

    private func resolveTarget(_ target: String, spec: String, at path: String) throws -> [TargetDatabase] {
        if target.hasPrefix("labels:") {
            let selector = try LabelSelector(parsing: String(target.dropFirst("labels:".count)), in: "spec \(spec) (\(path))")
            let dbs = try workspace.fetchDatabases(db, labels: selector.labels)
            guard !dbs.isEmpty else {
                throw SluiceError.notFound("spec \(spec) (\(path)): no database has the labels \(selector.description)",
                                           hint: "See `sluice db list --label k=v`.")
            }
            return dbs
        }
        do {
            let ref = try DatabaseRef(parsing: target)
            return [try workspace.fetchDatabase(ref, db)]
        } catch let e as SluiceError {
            throw SluiceError(e.kind, "spec \(spec) (\(path)): \(e.message)",
                              hint: e.hint.map { $0 + " A target is INSTANCE/DB, instances/INSTANCE/databases/DB or \(LabelSelector.form)." })
        }
    }

    private func environmentOrder() throws -> [String: Int] {
        Dictionary(uniqueKeysWithValues: try Row.fetchAll(db, sql: "SELECT name, position FROM environment").map { ($0["name"], $0["position"]) })
    }

    static func describe(_ labels: [String: String]) -> String {
        labels.keys.sorted().map { "\($0)=\(labels[$0] ?? "")" }.joined(separator: ",")
    }
}
