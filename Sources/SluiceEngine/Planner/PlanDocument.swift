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

    /// Decodes a plan file, resolving sheet file paths relative to it.
    public static func load(path: String) throws -> PlanDocument {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw SluiceError.notFound("cannot read plan file \(path)")
        }
        // Checked before decoding, so invalid UTF-8 is named by line and column rather than as bad JSON.
        _ = try SheetText.decode(data, file: path)
        var plan: PlanDocument
        do {
            plan = try JSONDecoder().decode(PlanDocument.self, from: data)
        } catch let DecodingError.keyNotFound(key, ctx) {
            throw SluiceError.usage("plan \(path): missing field '\(key.stringValue)' at \(PlanDocument.describe(ctx.codingPath))")
        } catch let DecodingError.typeMismatch(_, ctx) {
            throw SluiceError.usage("plan \(path): wrong type at \(PlanDocument.describe(ctx.codingPath)): \(ctx.debugDescription)")
        } catch {
            throw SluiceError.usage("plan \(path) is not valid JSON: \(error.localizedDescription)")
        }
        let base = (path as NSString).deletingLastPathComponent
        for s in plan.steps.indices {
            for p in plan.steps[s].specs.indices {
                let sheet = plan.steps[s].specs[p].changeDatabaseConfig.sheet
                let trimmed = sheet.trimmingCharacters(in: .whitespacesAndNewlines)
                guard trimmed.hasSuffix(".sql"), !trimmed.contains("\n") else { continue }
                let file = trimmed.hasPrefix("/") ? trimmed : (base as NSString).appendingPathComponent(trimmed)
                guard FileManager.default.isReadableFile(atPath: file) else {
                    throw SluiceError.notFound("plan \(path): sheet file \(trimmed) not found")
                }
                plan.steps[s].specs[p].changeDatabaseConfig.sheet = try SheetText.read(file: file, name: trimmed)
            }
        }
        return plan
    }

    static func describe(_ path: [any CodingKey]) -> String {
        path.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined().trimmingCharacters(in: CharacterSet(charactersIn: "."))
    }
}
