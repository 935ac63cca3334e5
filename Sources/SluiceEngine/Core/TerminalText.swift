/// Makes any text safe to print on a terminal: nothing in it can move the cursor, change the
/// window title, clear the screen, reorder the line or hide characters.
///
/// Every character a terminal would act on instead of showing is written out visibly, in one form:
/// `\n`, `\r` and `\t` for those three, `\u{XX}` (hexadecimal, as in Swift) for all others — ESC
/// becomes `\u{1B}`, a right-to-left override `\u{202E}`. The escaped form is plain ASCII, so
/// escaping twice changes nothing.
///
/// What is escaped: C0 controls and DEL, C1 controls (U+0080–U+009F, which some terminals obey as
/// escape sequences), line and paragraph separators (U+2028, U+2029), format characters (bidi
/// embeddings, overrides and isolates, zero-width spaces and joiners, the byte order mark, tag
/// characters that smuggle invisible ASCII), and every other default-ignorable code point (Hangul
/// fillers, soft hyphen, …). Only the emoji and text presentation selectors (U+FE0E, U+FE0F) pass,
/// as they change how one symbol looks and hide nothing.
public enum TerminalText {
    /// Text of one line (a title, a name, a table cell): newlines and tabs are escaped too.
    public static func line(_ text: String) -> String { escape(text, keepingLayout: false) }

    /// Text of many lines (a description, a comment, SQL, a log, a message): newline and tab are kept;
    /// a carriage return before a newline is dropped, any other is escaped (it would let later text
    /// overwrite the start of the line).
    public static func block(_ text: String) -> String { escape(text, keepingLayout: true) }

    /// Whether printing the text as one line would show it exactly as it is.
    public static func isSafeLine(_ text: String) -> Bool {
        text.unicodeScalars.allSatisfy { !isUnsafe($0, keepingLayout: false) }
    }

    /// Escapes, inside text already encoded as JSON, what `JSONEncoder` leaves raw (DEL, C1, bidi and
    /// other format characters) as `\uXXXX` JSON escapes. The JSON means exactly the same afterwards:
    /// every such character can only occur inside a string, and the encoder already escaped the C0
    /// controls there, so the newlines and spaces left are the layout's own.
    public static func json(_ encoded: String) -> String {
        guard encoded.unicodeScalars.contains(where: { isUnsafe($0, keepingLayout: true) }) else { return encoded }
        var out = String.UnicodeScalarView()
        for scalar in encoded.unicodeScalars {
            guard isUnsafe(scalar, keepingLayout: true) else { out.append(scalar); continue }
            for unit in String(scalar).utf16 { out.append(contentsOf: "\\u\(hex(UInt32(unit), width: 4))".unicodeScalars) }
        }
        return String(out)
    }

    /// Whether a terminal would act on the scalar (or hide it) rather than show it.
    public static func isUnsafe(_ scalar: Unicode.Scalar, keepingLayout: Bool) -> Bool {
        let v = scalar.value
        if v < 0x20 { return !(keepingLayout && (v == 0x0A || v == 0x09)) }
        if v < 0x7F { return false }
        if v <= 0x9F { return true } // DEL and the C1 controls
        if v == 0xFE0E || v == 0xFE0F { return false }
        switch scalar.properties.generalCategory {
        case .control, .format, .lineSeparator, .paragraphSeparator, .surrogate: return true
        default: return scalar.properties.isDefaultIgnorableCodePoint
        }
    }

    private static func escape(_ text: String, keepingLayout: Bool) -> String {
        guard text.unicodeScalars.contains(where: { isUnsafe($0, keepingLayout: keepingLayout) }) else { return text }
        var out = String.UnicodeScalarView()
        let scalars = Array(text.unicodeScalars)
        for (i, scalar) in scalars.enumerated() {
            guard isUnsafe(scalar, keepingLayout: keepingLayout) else { out.append(scalar); continue }
            switch scalar {
            case "\r" where keepingLayout && i + 1 < scalars.count && scalars[i + 1] == "\n": continue
            case "\n": out.append(contentsOf: "\\n".unicodeScalars)
            case "\r": out.append(contentsOf: "\\r".unicodeScalars)
            case "\t": out.append(contentsOf: "\\t".unicodeScalars)
            default: out.append(contentsOf: "\\u{\(hex(scalar.value, width: 2))}".unicodeScalars)
            }
        }
        return String(out)
    }

    private static func hex(_ value: UInt32, width: Int) -> String {
        let digits = String(value, radix: 16, uppercase: true)
        return String(repeating: "0", count: max(0, width - digits.count)) + digits
    }
}
