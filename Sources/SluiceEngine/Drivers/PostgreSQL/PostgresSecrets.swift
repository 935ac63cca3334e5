import Crypto
import Foundation

/// Seals instance passwords with AES-GCM under a per-workspace key kept in `secret.key` (mode
/// 0600) beside the metastore. The metastore alone reveals no password; copy both to move one.
enum PostgresSecrets {
    static func keyFile(besideMetastore metastore: String) -> String { WorkspaceKey.file(besideMetastore: metastore) }

    /// Seals `password` (base64 of nonce + ciphertext + tag), creating the key file on first use.
    static func seal(_ password: String, keyFile: String) throws -> String {
        let key = try loadKey(keyFile, create: true)
        let box = try AES.GCM.seal(Data(password.utf8), using: key)
        guard let combined = box.combined else { throw SluiceError.failure("cannot seal the password") }
        return combined.base64EncodedString()
    }

    static func open(_ sealed: String, keyFile: String) throws -> String {
        let key = try loadKey(keyFile, create: false)
        guard let data = Data(base64Encoded: sealed), let box = try? AES.GCM.SealedBox(combined: data),
              let plain = try? AES.GCM.open(box, using: key) else {
            throw SluiceError.failure("the stored PostgreSQL password cannot be decrypted with \(keyFile)",
                                      hint: "Was the key file replaced? Store the password again: sluice instance set NAME --password-stdin.")
        }
        return String(decoding: plain, as: UTF8.self)
    }

    private static func loadKey(_ path: String, create: Bool) throws -> SymmetricKey {
        do { return try WorkspaceKey.load(path, create: create) } catch where !create {
            throw SluiceError.failure("the workspace key \(path) is missing", hint: "Store the instance password again, or use .pgpass / PGPASSWORD.")
        }
    }
}
