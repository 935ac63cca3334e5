/// Where each line of a source text starts, so UTF-8 byte offsets become lines and columns fast.
///
/// A line ends at LF, at CRLF (one break, not two) or at a lone CR. A column counts Unicode
/// scalars from the start of its line, plus one: a multi-byte character such as `é` or `😀` is
/// one column, the same unit PostgreSQL uses for its error cursor. A byte-order mark at the very
/// start takes no column, as in editors. Build one index per source
/// when converting many offsets (each lookup is a binary search plus a walk along one line);
/// ``position(ofByteOffset:in:)`` converts a single offset without building one.
public struct LineIndex: Sendable {
    /// The source's UTF-8 bytes, shared with the splitters that cut statements out of them.
    let utf8: [UInt8]
    /// The byte offset at which each line starts; the first line starts at 0.
    private let lineStarts: [Int]

    public init(_ source: String) {
        self.init(utf8: Array(source.utf8))
    }

    init(utf8: [UInt8]) {
        self.utf8 = utf8
        var starts = [0]
        utf8.withUnsafeBufferPointer { bytes in
            var index = 0
            while index < bytes.count {
                switch bytes[index] {
                case Self.lineFeed:
                    starts.append(index + 1)
                case Self.carriageReturn:
                    // CRLF is one break: the line starts after the LF.
                    if index + 1 < bytes.count, bytes[index + 1] == Self.lineFeed {
                        index += 1
                    }
                    starts.append(index + 1)
                default:
                    break
                }
                index += 1
            }
        }
        lineStarts = starts
    }

    /// The number of lines; an empty source, or one ending in a line break, counts the empty last line.
    public var lineCount: Int { lineStarts.count }

    /// The line and column of a byte offset; offsets outside the source are clamped to it.
    public func position(ofByteOffset offset: Int) -> SourcePosition {
        let offset = min(max(offset, 0), utf8.count)
        // The last line that starts at or before the offset.
        var low = 0
        var high = lineStarts.count - 1
        while low < high {
            let middle = (low + high + 1) / 2
            if lineStarts[middle] <= offset {
                low = middle
            } else {
                high = middle - 1
            }
        }
        let column = utf8.withUnsafeBufferPointer { bytes in
            Self.scalarCount(bytes, from: max(lineStarts[low], Self.byteOrderMarkLength(bytes)), to: offset)
        }
        return SourcePosition(line: low + 1, column: column + 1)
    }

    /// The 1-based line and column of a UTF-8 byte offset in `source`, in one pass and without
    /// building an index: the right call for one error position (say, `sqlite3_error_offset`).
    public static func position(ofByteOffset offset: Int, in source: String) -> (line: Int, column: Int) {
        var line = 1
        var column = 1
        // A CR breaks the line only once we know no LF follows it; until then it sits on its line.
        var pendingCarriageReturn = false
        let skipped = byteOrderMarkLength(source.utf8)
        var index = 0
        for byte in source.utf8 {
            if index < skipped {
                if index >= offset { break }
                index += 1
                continue
            }
            if pendingCarriageReturn {
                pendingCarriageReturn = false
                if byte == lineFeed {
                    if index == offset { break }
                    line += 1
                    column = 1
                    index += 1
                    continue
                }
                line += 1
                column = 1
            }
            if index >= offset { break }
            switch byte {
            case lineFeed:
                line += 1
                column = 1
            case carriageReturn:
                column += 1
                pendingCarriageReturn = true
            default:
                if !isContinuationByte(byte) { column += 1 }
            }
            index += 1
        }
        if pendingCarriageReturn {
            line += 1
            column = 1
        }
        return (line, column)
    }

    static let lineFeed = UInt8(ascii: "\n")
    /// U+FEFF in UTF-8, which some editors put at the start of a file.
    static let byteOrderMark: [UInt8] = [0xEF, 0xBB, 0xBF]

    /// The length of the byte-order mark the bytes start with: 3, or 0 without one.
    static func byteOrderMarkLength(_ bytes: some Collection<UInt8>) -> Int {
        bytes.starts(with: byteOrderMark) ? byteOrderMark.count : 0
    }
    static let carriageReturn = UInt8(ascii: "\r")

    /// Whether a UTF-8 byte continues a multi-byte scalar rather than starting one.
    static func isContinuationByte(_ byte: UInt8) -> Bool { byte & 0xC0 == 0x80 }

    private static func scalarCount(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int, to end: Int) -> Int {
        var count = 0
        var index = start
        while index < end {
            if !isContinuationByte(bytes[index]) { count += 1 }
            index += 1
        }
        return count
    }
}
