import Foundation

/// Drift of one database: the live schema against the last recorded one.
public struct DriftReport: Sendable, Codable, Equatable {
    public var database: String
    public var drifted: Bool
    public var diff: String
    /// Why there is nothing to compare, when there is not.
    public var note: String?
    /// History rows of this workspace whose seal does not verify (forged or altered), by id.
    public var tampered: [Int64] = []
}

extension Workspace {
    /// The seal of this workspace's history rows, keyed by its secret (created on first use).
    func historySeal() throws -> HistorySeal {
        HistorySeal(workspaceKey: try WorkspaceKey.load(WorkspaceKey.file(besideMetastore: Workspace.metastorePath(home: home)), create: true))
    }

    /// The migration history recorded inside the target, each row's seal checked. Needs `issues.get`
    /// in a project with an issue on the database, or `instances.manage` (`Workspace+HistoryAccess`).
    public func history(_ ref: DatabaseRef, by actor: Principal) throws -> [MigrationRecord] {
        let database = try self.database(ref)
        try requireHistoryReadable(database, by: actor)
        let seal = try historySeal(), id = try workspaceId()
        do {
            return seal.check(try TargetDrivers.driver(for: database.engine).history(database), workspace: id)
        } catch let e as SluiceError {
            throw e
        } catch {
            throw SluiceError.failure("cannot read the history of \(ref): \(error)", hint: "Check that \(database.location) exists and is readable.")
        }
    }

    /// Compares the live schema of each database (or one) with the schema its history last recorded.
    /// One database needs the same access as its history; all of them are those the member may read.
    public func drift(_ ref: DatabaseRef?, by actor: Principal) throws -> [DriftReport] {
        if let ref { try requireHistoryReadable(try database(ref), by: actor) }
        let targets = try historyReadable(ref.map { [try database($0)] } ?? databases(), by: actor)
        let seal = try historySeal(), id = try workspaceId()
        return targets.map { d in
            let executor = TargetDrivers.driver(for: d.engine)
            do {
                let rows = seal.check(try executor.history(d), workspace: id)
                let tampered = rows.filter { $0.integrity == .tampered }.map(\.id)
                let warning = tampered.isEmpty ? nil
                    : "tampering: history row(s) \(tampered.map { "#\($0)" }.joined(separator: ", ")) do not verify (forged or altered) and are ignored"
                // The recorded schema is the last row Sluice can vouch for (this workspace's, or another's it cannot check).
                let history = rows.filter { $0.status == "DONE" && $0.integrity != .tampered }
                guard let last = history.last else {
                    return DriftReport(database: d.ref.description, drifted: false, diff: "", note: warning ?? "no recorded schema yet", tampered: tampered)
                }
                let live = try executor.liveSchema(d)
                let diff = SchemaSnapshot.diff(last.schemaAfter, live)
                return DriftReport(database: d.ref.description, drifted: !diff.isEmpty, diff: diff, note: warning, tampered: tampered)
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
            return try TargetDrivers.driver(for: database.engine).baseline(database, version: version, workspace: try workspaceId(), by: actor.email,
                                                                              seal: try historySeal())
        } catch let e as SluiceError {
            throw e
        } catch {
            throw SluiceError.failure("cannot baseline \(ref): \(error)")
        }
    }
}
