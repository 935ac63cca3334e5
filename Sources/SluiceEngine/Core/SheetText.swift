import Foundation
import SluiceSQL

/// What the text of a sheet may hold, so that what is reviewed is what runs.
///
/// A NUL ends the text for C APIs (SQLite reads a statement up to it), so `select 1;\0 drop …`
/// would be reviewed whole and run cut short; other control characters are invisible in review.
/// A sheet is refused when it holds U+0000, any other C0 control character but tab, line feed,
/// carriage return and form feed, or a byte-order mark (U+FEFF) anywhere but at the very start.
/// Files are read as bytes and refused when they are not valid UTF-8, never decoded with
/// replacement characters. Lines and columns are 1-based; columns count Unicode scalars.
public enum SheetText {
    /// Refuses a sheet with a character it may not hold, naming where and what to do.
    /// `owner` says whose SQL it is, as in the planner's other errors: "spec s1", "the issue".
    public static func validate(_ sql: String, in owner: String) throws {
        guard let (offset, what) = firstRefused(sql) else { return }
        let at = LineIndex.position(ofByteOffset: offset, in: sql)
        let place = "line \(at.line), column \(at.column)"
        throw SluiceError.usage("\(owner): the SQL holds \(what) at \(place); remove the \(name(what)) at \(place) of \(owner)",
                                hint: "A sheet may hold no control character but tab, line feed, carriage return and form feed, "
                                    + "so that the SQL reviewed is exactly the SQL that runs.")
    }

    /// The byte offset and description of the first character a sheet may not hold.
    static func firstRefused(_ sql: String) -> (offset: Int, what: String)? {
        var offset = 0
        for scalar in sql.unicodeScalars {
            let v = scalar.value
            switch v {
            case 0:
                return (offset, "a NUL byte (U+0000)")
            case 0x09, 0x0A, 0x0C, 0x0D:
                break
            case 0x01..<0x20:
                return (offset, "the control character \(hex(v))")
            case 0xFEFF where offset > 0:
                return (offset, "a byte-order mark (U+FEFF) after the start")
            default:
                break
            }
            offset += UTF8.width(scalar)
        }
        return nil
    }

    /// "a NUL byte (U+0000)" → "NUL byte"; the short name used in "remove the …".
    private static func name(_ what: String) -> String {
        if what.hasPrefix("a NUL") { return "NUL byte" }
        if what.hasPrefix("a byte-order mark") { return "byte-order mark (U+FEFF)" }
        return String(what.dropFirst("the ".count))
    }

    private static func hex(_ v: UInt32) -> String { "U+" + String(format: "%04X", v) }

    /// Reads a file as bytes and decodes it as UTF-8, refusing invalid UTF-8.
    /// `name` is how the file is named in errors (the path as given).
    public static func read(file path: String, name: String? = nil) throws -> String {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw SluiceError.notFound("cannot read \(name ?? path)", hint: "Check that the file exists and is readable.")
        }
        return try decode(data, file: name ?? path)
    }

    /// Decodes bytes as UTF-8, or throws a usage error at the line and column where the valid
    /// text ends, with the offending byte.
    public static func decode(_ data: Data, file: String) throws -> String {
        let bytes = [UInt8](data)
        guard let (offset, problem) = firstInvalidUTF8(bytes) else { return String(decoding: bytes, as: UTF8.self) }
        let valid = String(decoding: bytes[..<offset], as: UTF8.self)
        let at = LineIndex.position(ofByteOffset: offset, in: valid)
        throw SluiceError.usage("\(file): invalid UTF-8 at line \(at.line), column \(at.column) (\(problem)): save the file as UTF-8",
                                hint: "Sluice reads SQL, plan and settings files as UTF-8 and never guesses another encoding.")
    }

    /// The offset of the first byte that does not start a well-formed UTF-8 sequence, and why.
    static func firstInvalidUTF8(_ bytes: [UInt8]) -> (offset: Int, problem: String)? {
        func byte(_ b: UInt8) -> String { "0x" + String(format: "%02X", b) }
        var i = 0
        while i < bytes.count {
            let lead = bytes[i]
            if lead < 0x80 { i += 1; continue }
            let length: Int
            // The range of the second byte: narrower after some leads (no overlong forms, no surrogates, nothing past U+10FFFF).
            var second: ClosedRange<UInt8> = 0x80...0xBF
            switch lead {
            case 0xC2...0xDF: length = 2
            case 0xE0: length = 3; second = 0xA0...0xBF
            case 0xED: length = 3; second = 0x80...0x9F
            case 0xE1...0xEF: length = 3
            case 0xF0: length = 4; second = 0x90...0xBF
            case 0xF4: length = 4; second = 0x80...0x8F
            case 0xF1...0xF3: length = 4
            case 0x80...0xBF: return (i, "byte \(byte(lead)) is a continuation byte with no character before it")
            default: return (i, "byte \(byte(lead)) never occurs in UTF-8")
            }
            for k in 1..<length {
                guard i + k < bytes.count else {
                    return (i, "byte \(byte(lead)) starts a character the file ends inside")
                }
                let b = bytes[i + k]
                guard (k == 1 ? second : 0x80...0xBF).contains(b) else {
                    if (0x80...0xBF).contains(b) {
                        return (i, "bytes \(byte(lead)) \(byte(b)) are an overlong, surrogate or out-of-range encoding")
                    }
                    return (i, "byte \(byte(lead)) not followed by a continuation byte")
                }
            }
            i += length
        }
        return nil
    }
}
