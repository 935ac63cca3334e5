import Crypto
import CryptoExtras
import Foundation

/// scrypt cost parameters: N (CPU and memory cost, a power of two), r (block size), p (parallelism).
public struct PasswordCost: Sendable, Equatable, CustomStringConvertible {
    public let n: Int
    public let r: Int
    public let p: Int

    public init(n: Int, r: Int, p: Int) {
        self.n = n
        self.r = r
        self.p = p
    }

    /// Current OWASP guidance for scrypt: N=2^17, r=8, p=1 (128 MiB and roughly 0.3 s per hash).
    public static let current = PasswordCost(n: 1 << 17, r: 8, p: 1)
    /// What Sluice used before (N=2^14); such hashes are upgraded at the member's next sign-in.
    public static let legacy = PasswordCost(n: 1 << 14, r: 8, p: 1)
    /// A deliberately weak cost (1 MiB) for test suites, which create hundreds of members. Chosen
    /// only by `SLUICE_KDF_COST=test` or `PasswordHasher.useTestCost()`; never a default.
    public static let test = PasswordCost(n: 1 << 10, r: 8, p: 1)

    /// The largest values a stored hash may name. Each bound alone still allows gigabytes
    /// (N=2^20 with r=32 is 4 GiB), so memory and work are bounded as products too.
    public static let maxN = 1 << 20
    public static let maxR = 32
    public static let maxP = 16
    public static let maxMemoryBytes = 256 << 20
    public static let maxWork = 1 << 24

    /// The memory scrypt needs for these parameters: 128 · N · r bytes.
    public var memoryBytes: Int { 128 * n * r }

    /// Why sign-in refuses to compute these parameters, or nil when they are within the limits.
    public var limitViolation: String? {
        guard n >= 2, n <= PasswordCost.maxN, n & (n - 1) == 0 else { return "N=\(n) is not a power of two between 2 and 2^20" }
        guard (1...PasswordCost.maxR).contains(r) else { return "r=\(r) is outside 1...\(PasswordCost.maxR)" }
        guard (1...PasswordCost.maxP).contains(p) else { return "p=\(p) is outside 1...\(PasswordCost.maxP)" }
        guard memoryBytes <= PasswordCost.maxMemoryBytes else { return "N·r needs \(memoryBytes >> 20) MiB (at most 256 MiB)" }
        guard n * r * p <= PasswordCost.maxWork else { return "N·r·p=\(n * r * p) is more work than 2^24" }
        return nil
    }

    /// Whether any parameter is below `other`'s (a hash made with these should be redone with `other`).
    public func isWeaker(than other: PasswordCost) -> Bool { n < other.n || r < other.r || p < other.p }

    public var description: String { "N=\(n) r=\(r) p=\(p)" }
}

/// scrypt password hashes in a self-describing text form: `scrypt$N$r$p$salt$hash` (base64).
/// Verification always uses the parameters stored in the hash; new hashes use `costForNewHashes`.
public enum PasswordHasher {
    private static let lock = NSLock()
    nonisolated(unsafe) private static var testCostChosen = ProcessInfo.processInfo.environment["SLUICE_KDF_COST"] == "test"

    /// The cost of every new hash made in this process: `PasswordCost.current`, or `PasswordCost.test`
    /// when the process started with `SLUICE_KDF_COST=test` (any other value means current) or a
    /// test harness called `useTestCost()`.
    public static var costForNewHashes: PasswordCost {
        lock.withLock { testCostChosen ? .test : .current }
    }

    /// Test harnesses only: from now on this process makes cheap hashes. One way; there is no way back.
    public static func useTestCost() {
        lock.withLock { testCostChosen = true }
    }

    public static func hash(_ password: String) throws -> String {
        try hash(password, cost: costForNewHashes)
    }

    public static func hash(_ password: String, cost: PasswordCost) throws -> String {
        if let violation = cost.limitViolation {
            throw SluiceError.failure("cannot hash a password with scrypt \(cost): \(violation)")
        }
        let salt = randomBytes(16)
        let key = try derive(password, salt: salt, cost: cost, length: 32)
        return format(cost: cost, salt: salt, key: [UInt8](key))
    }

    /// The outcome of checking a password against a stored hash.
    public enum Verdict: Equatable, Sendable {
        /// The password is right; the hash was made with this cost.
        case match(PasswordCost)
        case mismatch
        /// The stored text is not a hash sign-in will compute (malformed, or parameters past the limits); scrypt did not run.
        case unusable(String)
    }

    /// A parsed stored hash.
    struct Stored {
        var cost: PasswordCost
        var salt: [UInt8]
        var key: [UInt8]
    }

    /// Parses `scrypt$N$r$p$salt$hash`, refusing anything sign-in should not compute.
    static func parse(_ stored: String) -> Result<Stored, VerdictReason> {
        let parts = stored.split(separator: "$", omittingEmptySubsequences: false).map(String.init)
        guard parts.count == 6, parts[0] == "scrypt" else { return .failure(VerdictReason("not an scrypt hash")) }
        func number(_ s: String) -> Int? { s.count <= 12 && s.allSatisfy(\.isASCII) && s.allSatisfy(\.isNumber) ? Int(s) : nil }
        guard let n = number(parts[1]), let r = number(parts[2]), let p = number(parts[3]) else {
            return .failure(VerdictReason("the scrypt parameters are not plain numbers"))
        }
        let cost = PasswordCost(n: n, r: r, p: p)
        if let violation = cost.limitViolation { return .failure(VerdictReason(violation)) }
        guard let salt = Data(base64Encoded: parts[4]), (8...64).contains(salt.count),
              let key = Data(base64Encoded: parts[5]), (16...64).contains(key.count)
        else { return .failure(VerdictReason("the salt or key is not base64 of a sensible length")) }
        return .success(Stored(cost: cost, salt: [UInt8](salt), key: [UInt8](key)))
    }

    struct VerdictReason: Error { var text: String; init(_ text: String) { self.text = text } }

    public static func check(_ password: String, against stored: String) -> Verdict {
        switch parse(stored) {
        case .failure(let reason):
            return .unusable(reason.text)
        case .success(let s):
            guard let key = try? derive(password, salt: s.salt, cost: s.cost, length: s.key.count) else {
                return .unusable("scrypt refused the stored parameters")
            }
            return constantTimeEqual([UInt8](key), s.key) ? .match(s.cost) : .mismatch
        }
    }

    public static func verify(_ password: String, against stored: String) -> Bool {
        if case .match = check(password, against: stored) { return true }
        return false
    }

    /// The cost a stored hash names, when it parses within the limits.
    public static func cost(of stored: String) -> PasswordCost? {
        if case .success(let s) = parse(stored) { return s.cost }
        return nil
    }

    /// A well-formed hash of no password at all (random salt and key, no scrypt run to make it):
    /// checking a password against it costs exactly what checking a real hash of `cost` costs.
    static func decoy(cost: PasswordCost) -> String {
        format(cost: cost, salt: randomBytes(16), key: randomBytes(32))
    }

    private static func format(cost: PasswordCost, salt: [UInt8], key: [UInt8]) -> String {
        "scrypt$\(cost.n)$\(cost.r)$\(cost.p)$\(Data(salt).base64EncodedString())$\(Data(key).base64EncodedString())"
    }

    private static func randomBytes(_ count: Int) -> [UInt8] {
        var rng = SystemRandomNumberGenerator()
        return (0..<count).map { _ in UInt8.random(in: 0...255, using: &rng) }
    }

    private static func constantTimeEqual(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        guard a.count == b.count else { return false }
        var diff: UInt8 = 0
        for (x, y) in zip(a, b) { diff |= x ^ y }
        return diff == 0
    }

    private static func derive(_ password: String, salt: [UInt8], cost: PasswordCost, length: Int) throws -> Data {
        // The memory ceiling is passed explicitly so no stored value can raise it.
        let key = try KDF.Scrypt.deriveKey(from: Array(password.utf8), salt: salt, outputByteCount: length,
                                           rounds: cost.n, blockSize: cost.r, parallelism: cost.p,
                                           maxMemory: PasswordCost.maxMemoryBytes + (1 << 20))
        return key.withUnsafeBytes { Data($0) }
    }

    /// SHA-256 hex of any text (sheets, session tokens).
    public static func sha256Hex(_ text: String) -> String {
        SHA256.hash(data: Data(text.utf8)).map { String(format: "%02x", $0) }.joined()
    }
}
