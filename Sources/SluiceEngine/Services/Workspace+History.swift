import Foundation

/// Drift of one database: the live schema against the last recorded one.
public struct DriftReport: Sendable, Codable, Equatable {
    public var database: String
    public var drifted: Bool
    public var diff: String
    /// Why there is nothing to compare, when there is not.
    public var note: String?
}

extension Workspace {
    /// The migration history recorded inside the target.
    public func history(_ ref: DatabaseRef, by actor: Principal) throws -> [MigrationRecord] {
        let database = try self.database(ref)
        do {
            return try TargetDrivers.driver(for: database.engine).history(database)
        } catch let e as SluiceError {
            throw e
        } catch {
            throw SluiceError.failure("cannot read the history of \(ref): \(error)", hint: "Check that \(database.location) exists and is readable.")
        }
    }

    /// Compares the live schema of each database (or one) with the schema its history last recorded.
    public func drift(_ ref: DatabaseRef?, by actor: Principal) throws -> [DriftReport] {
        let targets = try ref.map { [try database($0)] } ?? databases()
        return targets.map { d in
            let executor = TargetDrivers.driver(for: d.engine)
            do {
                let history = try executor.history(d).filter { $0.status == "DONE" }
                guard let last = history.last else {
                    return DriftReport(database: d.ref.description, drifted: false, diff: "", note: "no recorded schema yet")
                }
                let live = try executor.liveSchema(d)
                let diff = SchemaSnapshot.diff(last.schemaAfter, live)
                return DriftReport(database: d.ref.description, drifted: !diff.isEmpty, diff: diff, note: nil)
            } catch {
                return DriftReport(database: d.ref.description, drifted: false, diff: "", note: "cannot read: \(error)")
            }
        }
    }

    /// Records the live schema as version `version` without running anything (clears drift).
    public func baseline(_ ref: DatabaseRef, version: String, by actor: Principal) throws -> MigrationRecord {
        let version = version.trimmingCharacters(in: .whitespaces)
        guard !version.isEmpty else { throw SluiceError.usage("a baseline needs a version (--version)") }
        try store.read { db in try require(.instancesManage, actor, to: "baseline databases", db) }
        let database = try self.database(ref)
        do {
            return try TargetDrivers.driver(for: database.engine).baseline(database, version: version, workspace: try workspaceId(), by: actor.email)
        } catch let e as SluiceError {
            throw e
        } catch {
            throw SluiceError.failure("cannot baseline \(ref): \(error)")
        }
    }
}
