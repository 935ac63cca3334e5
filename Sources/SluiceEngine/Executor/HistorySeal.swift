import Crypto
import Foundation

/// Whether a migration history row is one Sluice wrote.
public enum RecordIntegrity: String, Sendable, Codable {
    /// Its seal verifies under the workspace key: Sluice wrote it, and nothing in it changed since.
    case verified = "VERIFIED"
    /// Written for another workspace: its seal (if any) cannot be checked with this workspace's key.
    case foreign = "FOREIGN"
    /// It claims this workspace but its seal is missing or wrong, or its statement does not match its
    /// checksum: forged or altered. Never trusted.
    case tampered = "TAMPERED"
}

/// Seals history rows with an HMAC-SHA-256 keyed by the workspace's secret, so a row a sheet (or
/// anyone with write access to the target) forges or alters is detected, reported and never
/// trusted to skip a change.
public struct HistorySeal: Sendable {
    private let key: SymmetricKey

    init(workspaceKey: SymmetricKey) {
        // A key of its own, derived from the workspace secret, so the seal and the password
        // sealing never share a key.
        key = HKDF<SHA256>.deriveKey(inputKeyMaterial: workspaceKey, info: Data("sluice history seal v1".utf8), outputByteCount: 32)
    }

    /// The seal of `record`: every field Sluice relies on, each length-prefixed so no two records
    /// share a message. `durationMs` is left out (engines print floats differently).
    public func seal(_ r: MigrationRecord) -> String {
        var message = Data("sluice-history-v1".utf8)
        func field(_ s: String?) {
            guard let s else { message.append(contentsOf: [0xff]); return }
            let bytes = Array(s.utf8)
            message.append(contentsOf: withUnsafeBytes(of: UInt64(bytes.count).bigEndian, Array.init))
            message.append(contentsOf: bytes)
        }
        field(r.workspace); field(r.version); field(r.type); field(r.status); field(r.checksum)
        field(Self.sha256(r.statement)); field(Self.sha256(r.schemaBefore)); field(Self.sha256(r.schemaAfter))
        field(r.issueId.map(String.init)); field(r.taskId.map(String.init)); field(r.taskRunId.map(String.init))
        field(r.appliedBy); field(r.appliedAt)
        let mac = HMAC<SHA256>.authenticationCode(for: message, using: key)
        return Data(mac).map { String(format: "%02x", $0) }.joined()
    }

    /// Whether `record` is one this workspace wrote (see ``RecordIntegrity``). Rows this workspace
    /// wrote before seals existed were sealed when their table was upgraded.
    public func integrity(of r: MigrationRecord, workspace: String) -> RecordIntegrity {
        guard r.workspace == workspace else { return .foreign }
        guard let mac = r.mac, !mac.isEmpty else { return .tampered }
        guard Self.constantTimeEqual(mac, seal(r)), r.type == "BASELINE" || r.checksum == Self.sha256(r.statement) else { return .tampered }
        return .verified
    }

    /// `records` with `integrity` filled in.
    public func check(_ records: [MigrationRecord], workspace: String) -> [MigrationRecord] {
        records.map { r in
            var r = r
            r.integrity = integrity(of: r, workspace: workspace)
            return r
        }
    }

    static func sha256(_ s: String) -> String {
        SHA256.hash(data: Data(s.utf8)).map { String(format: "%02x", $0) }.joined()
    }

    private static func constantTimeEqual(_ a: String, _ b: String) -> Bool {
        let x = Array(a.utf8), y = Array(b.utf8)
        guard x.count == y.count else { return false }
        return zip(x, y).reduce(UInt8(0)) { $0 | ($1.0 ^ $1.1) } == 0
    }
}
