import Foundation
import GRDB

/// The workspace's own database: a SQLite file in WAL mode shared safely by several processes.
public final class Metastore: Sendable {
    public let path: String
    public let pool: DatabasePool

    /// Opens the metastore at `path`. With `create`, a missing file is created (mode 0600);
    /// otherwise a missing file is a `notFound` error. A corrupt file, a locked file or a file
    /// written by a newer Sluice gives a clear error and is never modified.
    public init(path: String, create: Bool, busyTimeout: Double = 10) throws {
        self.path = path
        let fm = FileManager.default
        let exists = fm.fileExists(atPath: path)
        if !exists {
            guard create else {
                throw SluiceError.notFound("no workspace at \(path)",
                                           hint: "Create one with `sluice init --admin EMAIL` or `sluice demo`, or pick one with --home / SLUICE_HOME.")
            }
            try Metastore.createPrivateFile(path)
        } else {
            try Metastore.checkHeader(path)
        }

        var config = Configuration()
        config.busyMode = .timeout(busyTimeout)
        config.label = "sluice-metastore"
        config.prepareDatabase { db in
            try db.execute(sql: "PRAGMA synchronous = NORMAL")
        }
        do {
            pool = try DatabasePool(path: path, configuration: config)
        } catch {
            throw Metastore.explain(error, path: path)
        }
        do {
            try pool.write { db in
                if try Metastore.migrator.hasBeenSuperseded(db) {
                    throw SluiceError.failure(
                        "the workspace at \(path) was made by a newer version of Sluice",
                        hint: "Upgrade sluice to open it; nothing was changed.")
                }
            }
            try Metastore.migrator.migrate(pool)
        } catch let e as SluiceError {
            throw e
        } catch {
            throw Metastore.explain(error, path: path)
        }
    }

    /// Creates an empty file readable only by its owner before SQLite ever sees it;
    /// SQLite gives the -wal and -shm files the same mode.
    private static func createPrivateFile(_ path: String) throws {
        let dir = (path as NSString).deletingLastPathComponent
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true,
                                                attributes: [.posixPermissions: 0o700])
        let fd = open(path, O_CREAT | O_EXCL | O_WRONLY, 0o600)
        guard fd >= 0 else {
            throw SluiceError.failure("cannot create workspace file \(path): \(String(cString: strerror(errno)))",
                                      hint: "Check that the directory is writable.")
        }
        fchmod(fd, 0o600)
        close(fd)
    }

    /// Rejects a file that is not SQLite before GRDB touches it, so it is never "repaired".
    private static func checkHeader(_ path: String) throws {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw SluiceError.failure("cannot read workspace file \(path)", hint: "Check its permissions.")
        }
        defer { try? handle.close() }
        let header = (try? handle.read(upToCount: 16)) ?? Data()
        if header.isEmpty { return } // created but never initialised: safe to initialise
        if header != Data("SQLite format 3\0".utf8) {
            throw SluiceError.failure("the workspace file \(path) is not a Sluice metastore (corrupt or another kind of file)",
                                      hint: "Nothing was changed. Restore it from a backup or point --home at another directory.")
        }
    }

    static func explain(_ error: any Error, path: String) -> SluiceError {
        if let e = error as? SluiceError { return e }
        if let db = error as? DatabaseError {
            switch db.resultCode {
            case .SQLITE_BUSY, .SQLITE_LOCKED:
                return .failure("the workspace \(path) is locked by another process",
                                hint: "Wait for it to finish, or stop the other sluice process; nothing was changed.")
            case .SQLITE_NOTADB, .SQLITE_CORRUPT:
                return .failure("the workspace file \(path) is corrupt",
                                hint: "Nothing was changed. Restore it from a backup or point --home at another directory.")
            case .SQLITE_READONLY, .SQLITE_PERM, .SQLITE_CANTOPEN:
                return .failure("cannot open the workspace \(path) for writing: \(db.message ?? "\(db.resultCode)")",
                                hint: "Check the permissions of the file and its directory.")
            default:
                return .failure("metastore error: \(db.message ?? "\(db.resultCode)")")
            }
        }
        return .failure("metastore error: \(error)")
    }

    /// Runs a write transaction, turning low-level errors into `SluiceError`s.
    @discardableResult
    public func write<T: Sendable>(_ body: (Database) throws -> T) throws -> T {
        do { return try pool.write(body) } catch { throw Metastore.explain(error, path: path) }
    }

    /// Runs a read, turning low-level errors into `SluiceError`s.
    public func read<T: Sendable>(_ body: (Database) throws -> T) throws -> T {
        do { return try pool.read(body) } catch { throw Metastore.explain(error, path: path) }
    }
}
