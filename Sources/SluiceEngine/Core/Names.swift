/// The one rule for names created in Sluice: environments, instances, projects, roles, flows and
/// label keys and values. A name is 1 to 64 ASCII letters, digits, '.', '_' and '-', and starts with a
/// letter or a digit. So a name cannot look like another (no Cyrillic 'е' in 'prod', no zero-width
/// joiner, no right-to-left override), cannot hide in a listing, and can be typed on any keyboard.
///
/// Names Sluice only discovers (the databases `instance sync` finds on a server) may be anything;
/// they are shown through `TerminalText`, never refused.
public enum Names {
    public static let maxLength = 64

    /// The rule in words, for refusals.
    public static let rule = "1 to \(maxLength) ASCII letters, digits, '.', '_' and '-', starting with a letter or a digit"

    public static func isValid(_ name: String) -> Bool {
        let bytes = Array(name.utf8)
        guard let first = bytes.first, bytes.count <= maxLength, isAlphanumeric(first) else { return false }
        return bytes.allSatisfy { isAlphanumeric($0) || $0 == UInt8(ascii: ".") || $0 == UInt8(ascii: "_") || $0 == UInt8(ascii: "-") }
    }

    /// Refuses a name that breaks the rule, saying which character is wrong and why.
    public static func check(_ name: String, what: String) throws {
        guard !isValid(name) else { return }
        throw SluiceError.usage("'\(TerminalText.line(name))' is not a valid \(what) name: \(problem(in: name))",
                                hint: "\(what.prefix(1).uppercased() + what.dropFirst()) names are \(rule).")
    }

    /// What is wrong with a name, naming the first offending character by position and Unicode name.
    public static func problem(in name: String) -> String {
        if name.isEmpty { return "it is empty" }
        if name.utf8.count > maxLength, name.unicodeScalars.allSatisfy(\.isASCII) { return "it has \(name.utf8.count) characters" }
        for (i, scalar) in name.unicodeScalars.enumerated() {
            let position = "character \(i + 1)"
            if scalar.isASCII {
                let byte = UInt8(scalar.value)
                if isAlphanumeric(byte) { continue }
                if i == 0, byte == UInt8(ascii: ".") || byte == UInt8(ascii: "_") || byte == UInt8(ascii: "-") {
                    return "it starts with '\(Character(scalar))'"
                }
                if byte == UInt8(ascii: ".") || byte == UInt8(ascii: "_") || byte == UInt8(ascii: "-") { continue }
                return byte < 0x20 || byte == 0x7F
                    ? "\(position) is the control character \(describe(scalar))"
                    : "\(position) is '\(Character(scalar))'" + (byte == 0x20 ? " (a space)" : "")
            }
            let look = scalar.properties.isAlphabetic ? ", a letter outside ASCII that can pass for another" : ""
            return "\(position) is \(describe(scalar))\(look)"
        }
        return "it has more than \(maxLength) characters"
    }

    /// The rule for members' emails, in words.
    public static let emailRule = "LOCAL@DOMAIN in plain ASCII, at most 254 characters: no spaces or control characters, "
        + "a domain of dot-separated labels of letters, digits and '-' (an internationalised domain in its xn-- form)"

    /// Refuses an email a person could mistake for another or that could not reach anyone: non-ASCII
    /// look-alikes, invisible or control characters, spaces, empty labels, a trailing dot.
    public static func checkEmail(_ email: String) throws {
        if let problem = emailProblem(email) {
            throw SluiceError.usage("'\(TerminalText.line(email))' is not an email address Sluice accepts: \(problem)",
                                    hint: "Write it as \(emailRule).")
        }
    }

    static func emailProblem(_ email: String) -> String? {
        if email.isEmpty { return "it is empty" }
        for (i, scalar) in email.unicodeScalars.enumerated() where !scalar.isASCII || scalar.value < 0x21 || scalar.value == 0x7F {
            let what = scalar == " " ? "a space" : scalar.isASCII ? "the control character \(describe(scalar))" : describe(scalar)
            return "character \(i + 1) is \(what)"
        }
        if email.utf8.count > 254 { return "it has \(email.utf8.count) characters" }
        let parts = email.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2 else { return parts.count == 1 ? "it has no '@'" : "it has more than one '@'" }
        let local = parts[0], domain = parts[1]
        let localChars = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789!#$%&'*+/=?^_`{|}~.-")
        if local.isEmpty { return "nothing stands before the '@'" }
        if local.count > 64 { return "the part before the '@' has more than 64 characters" }
        if let c = local.first(where: { !localChars.contains($0) }) { return "'\(c)' cannot stand before the '@'" }
        if local.hasPrefix(".") || local.hasSuffix(".") || local.contains("..") { return "the part before the '@' has a dot at its start or end, or two in a row" }
        let labels = domain.split(separator: ".", omittingEmptySubsequences: false)
        if domain.isEmpty { return "nothing follows the '@'" }
        if labels.count < 2 { return "the domain '\(domain)' has no dot" }
        if domain.hasSuffix(".") { return "the domain ends with a dot" }
        for label in labels {
            if label.isEmpty { return "the domain has an empty label (two dots in a row, or a dot at its start)" }
            if label.count > 63 { return "a domain label has more than 63 characters" }
            if label.hasPrefix("-") || label.hasSuffix("-") { return "the domain label '\(label)' starts or ends with '-'" }
            if let c = label.first(where: { !($0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-")) }) {
                return "'\(c)' cannot stand in a domain"
            }
        }
        return nil
    }

    /// `U+0435 CYRILLIC SMALL LETTER IE`.
    static func describe(_ scalar: Unicode.Scalar) -> String {
        let hex = String(scalar.value, radix: 16, uppercase: true)
        let code = "U+" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
        return scalar.properties.name.map { "\(code) \($0)" } ?? code
    }

    private static func isAlphanumeric(_ b: UInt8) -> Bool {
        (b >= UInt8(ascii: "a") && b <= UInt8(ascii: "z")) || (b >= UInt8(ascii: "A") && b <= UInt8(ascii: "Z"))
            || (b >= UInt8(ascii: "0") && b <= UInt8(ascii: "9"))
    }
}
