/// Reads a plan document from parsed JSON, knowing every key a plan may hold. A key it does not know
/// is refused with its JSON path, never ignored: a misspelt `earliestAllowedTIme` would otherwise
/// run the change at once. Wrong types are refused the same way.
extension PlanDocument {
    /// The keys of each kind of object in a plan.
    static let planKeys = ["steps"]
    static let stepKeys = ["title", "specs"]
    static let specKeys = ["id", "dependsOnSpecs", "earliestAllowedTime", "changeDatabaseConfig"]
    static let configKeys = ["target", "sheet", "type", "schemaVersion"]

    init(json: PlanJSON, file: String) throws {
        let reader = Reading(file: file)
        let root = try reader.object(json, at: "", keys: Self.planKeys, what: "a plan")
        let steps = try reader.array(try reader.required(root, "steps", at: ""), at: "steps")
        var out: [Step] = []
        for (s, stepValue) in steps.enumerated() {
            let at = "steps[\(s)]"
            let step = try reader.object(stepValue, at: at, keys: Self.stepKeys, what: "a step")
            let specValues = try reader.array(try reader.required(step, "specs", at: at), at: at + ".specs")
            var specs: [Spec] = []
            for (p, specValue) in specValues.enumerated() {
                let sat = "\(at).specs[\(p)]"
                let spec = try reader.object(specValue, at: sat, keys: Self.specKeys, what: "a spec")
                let cat = sat + ".changeDatabaseConfig"
                let config = try reader.object(try reader.required(spec, "changeDatabaseConfig", at: sat), at: cat,
                                               keys: Self.configKeys, what: "a changeDatabaseConfig")
                let depends = try reader.optional(spec, "dependsOnSpecs").map { value in
                    try reader.array(value, at: sat + ".dependsOnSpecs").enumerated().map { i, item in
                        try reader.string(item, at: "\(sat).dependsOnSpecs[\(i)]")
                    }
                }
                specs.append(Spec(
                    id: try reader.optional(spec, "id").map { try reader.string($0, at: sat + ".id") },
                    dependsOnSpecs: depends,
                    earliestAllowedTime: try reader.optional(spec, "earliestAllowedTime").map { try reader.string($0, at: sat + ".earliestAllowedTime") },
                    changeDatabaseConfig: ChangeDatabaseConfig(
                        target: try reader.string(try reader.required(config, "target", at: cat), at: cat + ".target"),
                        sheet: try reader.string(try reader.required(config, "sheet", at: cat), at: cat + ".sheet"),
                        type: try reader.optional(config, "type").map { try reader.string($0, at: cat + ".type") },
                        schemaVersion: try reader.optional(config, "schemaVersion").map { try reader.string($0, at: cat + ".schemaVersion") })))
            }
            out.append(Step(title: try reader.optional(step, "title").map { try reader.string($0, at: at + ".title") }, specs: specs))
        }
        self.init(steps: out)
    }

    /// The closest known key to an unknown one: the same ignoring case, '_' and '-'
    /// (`earliest_allowed_time`), or at most two edits away (`dependsOnSpec`, `tagret`).
    static func suggestion(for key: String, among known: [String]) -> String? {
        guard key.count <= 64 else { return nil }
        let fold = { (s: String) in s.lowercased().filter { $0 != "_" && $0 != "-" } }
        if let same = known.first(where: { fold($0) == fold(key) }) { return same }
        let scored = known.map { ($0, editDistance(fold($0), fold(key))) }.filter { $0.1 <= min(2, max(1, $0.0.count / 3)) }
        return scored.min(by: { $0.1 < $1.1 })?.0
    }

    /// Edits (insert, delete, replace, swap two neighbours) turning one string into the other.
    static func editDistance(_ a: String, _ b: String) -> Int {
        let a = Array(a), b = Array(b)
        guard !a.isEmpty, !b.isEmpty else { return max(a.count, b.count) }
        var d = [[Int]](repeating: [Int](repeating: 0, count: b.count + 1), count: a.count + 1)
        for i in 0...a.count { d[i][0] = i }
        for j in 0...b.count { d[0][j] = j }
        for i in 1...a.count {
            for j in 1...b.count {
                d[i][j] = min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
                if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] { d[i][j] = min(d[i][j], d[i - 2][j - 2] + 1) }
            }
        }
        return d[a.count][b.count]
    }
}

/// Typed access to parsed JSON with refusals that name the file and the JSON path.
private struct Reading {
    let file: String

    func fail(_ message: String, at path: String, line: Int? = nil, column: Int? = nil, hint: String? = nil) -> SluiceError {
        let place = path.isEmpty ? "at the top level" : "at \(path)"
        let position = line.map { " (line \($0)\(column.map { ", column \($0)" } ?? ""))" } ?? ""
        return SluiceError.usage("plan \(file): \(message) \(place)\(position)", hint: hint)
    }

    func object(_ value: PlanJSON, at path: String, keys: [String], what: String) throws -> [PlanJSON.Member] {
        guard case let .object(members) = value else {
            throw fail("\(what) must be a JSON object, not \(value.kind),", at: path.isEmpty ? "" : path,
                       hint: path.isEmpty ? "A plan looks like {\"steps\":[{\"specs\":[{\"changeDatabaseConfig\":{\"target\":…,\"sheet\":…}}]}]}." : nil)
        }
        for m in members where !keys.contains(m.key) {
            let key = TerminalText.line(m.key.count > 80 ? m.key.prefix(80) + "…" : m.key)
            let full = path.isEmpty ? key : "\(path).\(key)"
            let guess = PlanDocument.suggestion(for: m.key, among: keys)
            throw SluiceError.usage(
                "plan \(file): unknown key '\(key)' at \(full) (line \(m.line), column \(m.column))"
                    + (guess.map { "; did you mean '\($0)'?" } ?? ""),
                hint: "\(what.prefix(1).uppercased() + what.dropFirst()) may hold only \(keys.joined(separator: ", ")). "
                    + "Sluice refuses keys it does not know rather than ignore them.")
        }
        return members
    }

    func required(_ members: [PlanJSON.Member], _ key: String, at path: String) throws -> PlanJSON {
        guard let m = members.first(where: { $0.key == key }), m.value != .null else {
            throw fail("missing '\(key)'", at: path.isEmpty ? "" : path)
        }
        return m.value
    }

    /// An absent key and `null` both mean "not given".
    func optional(_ members: [PlanJSON.Member], _ key: String) throws -> PlanJSON? {
        members.first(where: { $0.key == key }).flatMap { $0.value == .null ? nil : $0.value }
    }

    func array(_ value: PlanJSON, at path: String) throws -> [PlanJSON] {
        guard case let .array(items) = value else { throw fail("expected an array, not \(value.kind),", at: path) }
        return items
    }

    func string(_ value: PlanJSON, at path: String) throws -> String {
        guard case let .string(text) = value else { throw fail("expected a string, not \(value.kind),", at: path) }
        return text
    }
}
