import Foundation

/// The rules each part of a plan must meet, shared by both ways of making one (targets or a plan file).
extension Planner {
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
                throw SluiceError.usage("spec \(s.id) depends on '\(TerminalText.line(d))', which is not in \(stepName)",
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

    /// Runs a check whose refusal names its owner first ("spec s1: …") and adds the JSON path at the end.
    static func at(_ path: String, _ check: () throws -> Void) throws {
        do { try check() } catch let e as SluiceError {
            throw SluiceError(e.kind, "\(e.message) (at \(path))", hint: e.hint, permission: e.permission)
        }
    }

    /// An explicit spec id follows `Names.rule` (it is shown, and named in dependsOnSpecs);
    /// no id means an automatic one.
    static func specId(_ id: String?, at path: String) throws -> String? {
        guard let id else { return nil }
        guard Names.isValid(id) else {
            throw SluiceError.usage("\(path).id '\(TerminalText.line(id))' is not a valid spec id: \(Names.problem(in: id))",
                                    hint: "A spec id is \(Names.rule); leave it out to number the specs.")
        }
        return id
    }

    static func specType(_ text: String?, spec: String, at path: String) throws -> SpecType {
        guard let text else { return .migrate }
        guard let type = SpecType(rawValue: text.uppercased()) else {
            throw SluiceError.usage("spec \(spec): type '\(TerminalText.line(text))' at \(path) is not MIGRATE, DATA or BASELINE",
                                    hint: "Leave type out for MIGRATE.")
        }
        return type
    }

    /// A schema version is recorded in each database's history and compared there: `Names.rule`
    /// (e.g. 0003, 1.2.0, 20261121-add-index).
    static func checkSchemaVersion(_ version: String, at place: String) throws {
        guard Names.isValid(version) else {
            throw SluiceError.usage("\(place): schema version '\(TerminalText.line(version))' is not valid: \(Names.problem(in: version))",
                                    hint: "A schema version is \(Names.rule), e.g. 0003 or 1.2.0.")
        }
    }
}
