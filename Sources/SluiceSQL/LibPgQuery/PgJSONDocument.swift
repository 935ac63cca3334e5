/// A JSON text (as libpg_query's `pg_query_parse` prints it) indexed once, in one pass, so that
/// a parse tree can be read without building dictionaries.
///
/// Every value becomes one entry in document order: an object's members are its key (a string
/// entry) followed by its value. A container's entry records where its subtree ends, so a
/// reader steps over a whole value in constant time. Strings are decoded only when asked for.
final class PgJSONDocument: Sendable {
    enum Kind: UInt8 {
        case object, array, string, number, `true`, `false`, null
    }

    struct Entry {
        /// The value's first byte (the opening quote of a string).
        var start: Int32
        /// One past the value's last byte.
        var end: Int32
        /// The index of the entry after this value's subtree (the next sibling, if any).
        var next: Int32
        var kind: Kind
    }

    struct Malformed: Error {}

    let bytes: [UInt8]
    let entries: [Entry]

    /// Indexes `bytes`, which must hold exactly one JSON value.
    init(_ bytes: [UInt8]) throws(Malformed) {
        self.bytes = bytes
        self.entries = try Self.index(bytes)
    }

    private static func index(_ bytes: [UInt8]) throws(Malformed) -> [Entry] {
        guard bytes.count < Int(Int32.max) else { throw Malformed() }
        let entries: [Entry]? = bytes.withUnsafeBufferPointer { text in
            var entries: [Entry] = []
            entries.reserveCapacity(text.count / 6)
            var open: [Int] = []  // Indices of the containers not yet closed.
            var position = 0
            let count = text.count
            while position < count {
                let byte = text[position]
                let start = Int32(truncatingIfNeeded: position)
                switch byte {
                case UInt8(ascii: "\""):
                    position += 1
                    while position < count {
                        let inner = text[position]
                        if inner == UInt8(ascii: "\"") { break }
                        position += inner == UInt8(ascii: "\\") ? 2 : 1
                    }
                    guard position < count else { return nil }
                    position += 1
                    let next = Int32(truncatingIfNeeded: entries.count + 1)
                    entries.append(Entry(start: start, end: Int32(truncatingIfNeeded: position), next: next, kind: .string))
                case UInt8(ascii: ","), UInt8(ascii: ":"), 0x20, 0x09, 0x0A, 0x0D:
                    position += 1
                case UInt8(ascii: "{"), UInt8(ascii: "["):
                    open.append(entries.count)
                    entries.append(Entry(start: start, end: 0, next: 0, kind: byte == UInt8(ascii: "{") ? .object : .array))
                    position += 1
                case UInt8(ascii: "}"), UInt8(ascii: "]"):
                    guard let container = open.popLast(),
                          entries[container].kind == (byte == UInt8(ascii: "}") ? .object : .array) else { return nil }
                    entries[container].end = start + 1
                    entries[container].next = Int32(truncatingIfNeeded: entries.count)
                    position += 1
                default:
                    let kind: Kind
                    switch byte {
                    case UInt8(ascii: "t"): kind = .true
                    case UInt8(ascii: "f"): kind = .false
                    case UInt8(ascii: "n"): kind = .null
                    case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): kind = .number
                    default: return nil
                    }
                    while position < count, Self.continuesScalar(text[position]) { position += 1 }
                    let next = Int32(truncatingIfNeeded: entries.count + 1)
                    entries.append(Entry(start: start, end: Int32(truncatingIfNeeded: position), next: next, kind: kind))
                }
            }
            return open.isEmpty && !entries.isEmpty ? entries : nil
        }
        guard let entries else { throw Malformed() }
        return entries
    }

    /// Whether a byte belongs to a number or a literal (`true`, `false`, `null`).
    private static func continuesScalar(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
            UInt8(ascii: "-"), UInt8(ascii: "+"), UInt8(ascii: "."), UInt8(ascii: "E"):
            true
        default:
            false
        }
    }

    // MARK: Reading

    func kind(_ index: Int) -> Kind { entries[index].kind }

    /// The index after the subtree of the value at `index`.
    func next(_ index: Int) -> Int { Int(entries[index].next) }

    /// The indices of the members of the object at `index`: each key's, its value at key + 1.
    func forEachMember(of index: Int, _ body: (_ key: Int) -> Bool) {
        var child = index + 1
        let end = next(index)
        while child < end {
            if !body(child) { return }
            child = next(child + 1)
        }
    }

    /// The value of the member `key` of the object at `index`.
    func member(_ key: StaticString, of index: Int) -> Int? {
        var found: Int?
        forEachMember(of: index) { child in
            if keyEquals(child, key) { found = child + 1 }
            return found == nil
        }
        return found
    }

    /// Whether the string entry at `index` is exactly `key` (keys hold no escapes).
    func keyEquals(_ index: Int, _ key: StaticString) -> Bool {
        let entry = entries[index]
        let length = Int(entry.end - entry.start) - 2
        guard entry.kind == .string, length == key.utf8CodeUnitCount else { return false }
        let base = Int(entry.start) + 1
        let pointer = key.utf8Start
        for offset in 0..<length where bytes[base + offset] != pointer[offset] { return false }
        return true
    }

    /// Whether the key at `index` starts with an upper-case letter, as node tags do.
    func isTagKey(_ index: Int) -> Bool {
        let entry = entries[index]
        guard entry.kind == .string, entry.end - entry.start > 2 else { return false }
        let first = bytes[Int(entry.start) + 1]
        return first >= UInt8(ascii: "A") && first <= UInt8(ascii: "Z")
    }

    /// The decoded text of the string entry at `index`.
    func string(_ index: Int) -> String {
        let entry = entries[index]
        let body = bytes[(Int(entry.start) + 1)..<(Int(entry.end) - 1)]
        guard body.contains(UInt8(ascii: "\\")) else { return String(decoding: body, as: UTF8.self) }
        return Self.unescape(body)
    }

    /// The number at `index` as an integer (a fraction is truncated), or nil if it is none.
    func int(_ index: Int) -> Int? {
        let entry = entries[index]
        guard entry.kind == .number else { return nil }
        let text = String(decoding: bytes[Int(entry.start)..<Int(entry.end)], as: UTF8.self)
        if let value = Int(text) { return value }
        return Double(text).flatMap { $0.isFinite && abs($0) < 9e18 ? Int($0) : nil }
    }

    private static func unescape(_ body: ArraySlice<UInt8>) -> String {
        var scalars = String.UnicodeScalarView()
        var utf8: [UInt8] = []
        var index = body.startIndex
        func flush() {
            if !utf8.isEmpty { scalars.append(contentsOf: String(decoding: utf8, as: UTF8.self).unicodeScalars) }
            utf8.removeAll(keepingCapacity: true)
        }
        func hex(_ at: Int) -> UInt32? {
            guard at + 4 <= body.endIndex else { return nil }
            return UInt32(String(decoding: body[at..<(at + 4)], as: UTF8.self), radix: 16)
        }
        while index < body.endIndex {
            let byte = body[index]
            guard byte == UInt8(ascii: "\\"), index + 1 < body.endIndex else {
                utf8.append(byte)
                index += 1
                continue
            }
            let escape = body[index + 1]
            index += 2
            switch escape {
            case UInt8(ascii: "n"): utf8.append(0x0A)
            case UInt8(ascii: "t"): utf8.append(0x09)
            case UInt8(ascii: "r"): utf8.append(0x0D)
            case UInt8(ascii: "b"): utf8.append(0x08)
            case UInt8(ascii: "f"): utf8.append(0x0C)
            case UInt8(ascii: "u"):
                guard var code = hex(index) else { continue }
                index += 4
                if code & 0xFC00 == 0xD800, index + 6 <= body.endIndex, body[index] == UInt8(ascii: "\\"),
                   body[index + 1] == UInt8(ascii: "u"), let low = hex(index + 2), low & 0xFC00 == 0xDC00 {
                    code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
                    index += 6
                }
                flush()
                scalars.append(Unicode.Scalar(code) ?? "\u{FFFD}")
            default: utf8.append(escape)  // \" \\ \/
            }
        }
        flush()
        return String(scalars)
    }
}
