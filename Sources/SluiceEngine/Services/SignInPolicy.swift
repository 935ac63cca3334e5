import Foundation

/// The rules of signing in: password lengths and the throttle that slows down guessing.
public enum SignInPolicy {
    /// New and changed passwords need at least this many characters (as a person counts them:
    /// grapheme clusters, so "é" is one whether composed or not, and an emoji is one).
    public static let minimumPasswordLength = 12
    /// A bound on what a person can mean by a password; longer text is refused, not truncated.
    public static let maximumPasswordLength = 1024

    /// Failures in a row one member email may have before each further attempt waits.
    public static let freeMemberFailures = 5
    /// Failures one source (an OS user, later a remote address) may have, across all emails,
    /// before each further attempt from it waits. Higher: many people may share a source.
    public static let freeSourceFailures = 20
    /// The first wait; each further failure doubles it, up to `maximumDelay`.
    public static let firstDelay: Double = 1
    public static let maximumDelay: Double = 15 * 60
    /// A counter whose last failure is older than this starts over.
    public static let forgetAfter: Double = 24 * 3600

    /// The wait after `failures` failures in a row, when `free` are allowed without one:
    /// 0 below `free`, then 1 s, 2 s, 4 s … capped at `maximumDelay`.
    public static func delay(afterFailures failures: Int, free: Int) -> Double {
        guard failures >= free else { return 0 }
        let doublings = failures - free
        guard doublings < 30 else { return maximumDelay }
        return min(maximumDelay, firstDelay * Double(1 << doublings))
    }
}

/// Where a sign-in attempt comes from, as a throttle key. Front ends pass one; the local ones
/// use `localUser`; a server would pass the remote address.
public enum SignInSource {
    /// This process's operating-system user, e.g. "local uid 1000 (alice)". The terminal is left
    /// out on purpose: opening a new terminal must not buy a fresh allowance of guesses.
    public static var localUser: String {
        let uid = getuid()
        let name = NSUserName()
        return name.isEmpty ? "local uid \(uid)" : "local uid \(uid) (\(name))"
    }

    /// A source as stored and shown: control characters dropped, at most 200 characters.
    static func normalised(_ source: String) -> String {
        let printable = String(String.UnicodeScalarView(source.unicodeScalars.filter { $0.properties.generalCategory != .control }))
        let trimmed = printable.trimmingCharacters(in: .whitespaces)
        return trimmed.isEmpty ? "unknown source" : String(trimmed.prefix(200))
    }
}
