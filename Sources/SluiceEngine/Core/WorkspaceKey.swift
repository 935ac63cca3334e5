import Crypto
import Foundation

/// The workspace's secret: 32 random bytes in `secret.key` (mode 0600) beside the metastore.
/// It seals instance passwords and keys the seal of every migration history row; the metastore
/// alone reveals neither. Copy both files to move a workspace.
enum WorkspaceKey {
    static func file(besideMetastore metastore: String) -> String {
        ((metastore as NSString).deletingLastPathComponent as NSString).appendingPathComponent("secret.key")
    }

    /// Reads the key, creating it on first use when `create` is set (two processes racing to
    /// create it end up with the same one).
    static func load(_ path: String, create: Bool) throws -> SymmetricKey {
        if let data = FileManager.default.contents(atPath: path), data.count == 32 { return SymmetricKey(data: data) }
        guard create else {
            throw SluiceError.failure("the workspace key \(path) is missing", hint: "Restore it from where the workspace came from.")
        }
        let key = SymmetricKey(size: .bits256)
        let data = key.withUnsafeBytes { Data($0) }
        // Written whole to a private temporary file, then linked into place: link() fails if another
        // process got there first, and whoever loses reads a complete key, never a half-written one.
        let temp = path + ".\(getpid()).\(UUID().uuidString.prefix(8))"
        let fd = Foundation.open(temp, O_WRONLY | O_CREAT | O_EXCL, 0o600)
        guard fd >= 0 else {
            throw SluiceError.failure("cannot create the workspace key \(path): \(String(cString: strerror(errno)))")
        }
        defer { unlink(temp) }
        let written = data.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        let synced = fsync(fd) == 0
        close(fd)
        guard written == data.count, synced else { throw SluiceError.failure("cannot write the workspace key \(path)") }
        if link(temp, path) != 0 {
            let code = errno
            if code == EEXIST, let existing = FileManager.default.contents(atPath: path), existing.count == 32 { return SymmetricKey(data: existing) }
            throw SluiceError.failure("cannot create the workspace key \(path): \(String(cString: strerror(code)))")
        }
        return key
    }
}
