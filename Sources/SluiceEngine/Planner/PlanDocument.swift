import Foundation

/// A plan in Bytebase's JSON shape: `{"steps":[{"title":…,"specs":[{"id":…,"changeDatabaseConfig":{…}}]}]}`.
public struct PlanDocument: Codable, Sendable, Equatable {
    public struct Step: Codable, Sendable, Equatable {
        public var title: String?
        public var specs: [Spec]
        public init(title: String?, specs: [Spec]) { self.title = title; self.specs = specs }
    }

    public struct Spec: Codable, Sendable, Equatable {
        public var id: String?
        public var dependsOnSpecs: [String]?
        public var earliestAllowedTime: String?
        public var changeDatabaseConfig: ChangeDatabaseConfig
        public init(id: String?, dependsOnSpecs: [String]? = nil, earliestAllowedTime: String? = nil,
                    changeDatabaseConfig: ChangeDatabaseConfig) {
            self.id = id
            self.dependsOnSpecs = dependsOnSpecs
            self.earliestAllowedTime = earliestAllowedTime
            self.changeDatabaseConfig = changeDatabaseConfig
        }
    }

    public struct ChangeDatabaseConfig: Codable, Sendable, Equatable {
        /// `instances/I/databases/D`, `I/D`, or a label selector `labels:k=v[,k=v]`.
        public var target: String
        /// SQL text, or a path to a `.sql` file (relative to the plan file).
        public var sheet: String
        public var type: String?
        public var schemaVersion: String?
        public init(target: String, sheet: String, type: String? = nil, schemaVersion: String? = nil) {
            self.target = target
            self.sheet = sheet
            self.type = type
            self.schemaVersion = schemaVersion
        }
    }

    public var steps: [Step]

    public init(steps: [Step]) { self.steps = steps }

    /// Reads a plan file, resolving sheet file paths relative to it. Refused, with the JSON path: a
    /// key Sluice does not know, a key given twice, a wrong type, a missing field; and a plan file or
    /// sheet file that is not a regular file (a directory, a FIFO, a device).
    public static func load(path: String) throws -> PlanDocument {
        let name = "plan file \(TerminalText.line(path))"
        // Checked before parsing, so invalid UTF-8 is named by line and column rather than as bad JSON.
        let text = try InputFile.read(path, what: name, name: path)
        var plan: PlanDocument
        do {
            plan = try PlanDocument(json: try PlanJSON.parse(text), file: path)
        } catch let e as PlanJSON.SyntaxError {
            throw SluiceError.usage("plan \(path) is not valid JSON: \(e.message) at line \(e.line), column \(e.column)",
                                    hint: "A plan looks like {\"steps\":[{\"specs\":[{\"changeDatabaseConfig\":{\"target\":…,\"sheet\":…}}]}]}.")
        }
        let base = (path as NSString).deletingLastPathComponent
        for s in plan.steps.indices {
            for p in plan.steps[s].specs.indices {
                let sheet = plan.steps[s].specs[p].changeDatabaseConfig.sheet
                let trimmed = sheet.trimmingCharacters(in: .whitespacesAndNewlines)
                guard trimmed.hasSuffix(".sql"), !trimmed.contains("\n") else { continue }
                let file = trimmed.hasPrefix("/") ? trimmed : (base as NSString).appendingPathComponent(trimmed)
                let what = "plan \(path): sheet file \(TerminalText.line(trimmed)) (steps[\(s)].specs[\(p)].changeDatabaseConfig.sheet)"
                plan.steps[s].specs[p].changeDatabaseConfig.sheet = try InputFile.read(file, what: what, name: trimmed)
            }
        }
        return plan
    }
}
