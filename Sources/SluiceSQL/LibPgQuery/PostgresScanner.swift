import CPgQuery

/// PostgreSQL's own lexer, run through libpg_query's `pg_query_scan`.
///
/// The tokens include comments (libpg_query reports them) but not whitespace. Token starts are
/// exact UTF-8 byte offsets; token ends are not for every kind (libpg_query gets them wrong for
/// `U&'…'` strings and `U&"…"` identifiers), so callers should not rely on them.
enum PostgresScanner {
    /// One token: its kind as numbered by libpg_query, whether it is a keyword, and where it starts.
    struct Token: Equatable {
        var kind: Int
        var isKeyword: Bool
        var start: Int
        var end: Int

        // libpg_query's token numbers: single characters are their ASCII codes (pg_query.proto).
        static let openParenthesis = 40
        static let closeParenthesis = 41
        static let semicolon = 59
        static let backslash = 92
        static let identifier = 258
        static let lineComment = 275
        static let blockComment = 276

        var isComment: Bool { kind == Self.lineComment || kind == Self.blockComment }
    }

    /// The scanner's complaint, located at a UTF-8 byte offset of the scanned text.
    struct Failure: Error {
        /// PostgreSQL's message without its "at or near …" tail, which would quote the script.
        var message: String
        var offset: Int
    }

    /// The tokens of `utf8`, which must be valid UTF-8 without NUL bytes. Offsets, in tokens and
    /// failures alike, are indices of the slice (so of the whole array it is cut from).
    static func scan(_ utf8: ArraySlice<UInt8>) throws(Failure) -> [Token] {
        var terminated = Array(utf8)
        terminated.append(0)
        let shift = utf8.startIndex
        do {
            let tokens = try terminated.withUnsafeBufferPointer { bytes throws(Failure) in
                try scan(bytes, 0..<utf8.count)
            }
            return tokens.map { Token(kind: $0.kind, isKeyword: $0.isKeyword, start: $0.start + shift, end: $0.end + shift) }
        } catch {
            throw Failure(message: error.message, offset: error.offset + shift)
        }
    }

    /// The tokens of `bytes[range]`, where `bytes[range.upperBound]` is a NUL; offsets are
    /// indices of `bytes`.
    static func scan(_ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) throws(Failure) -> [Token] {
        let input = UnsafeRawPointer(bytes.baseAddress! + range.lowerBound).assumingMemoryBound(to: CChar.self)
        let outcome: (tokens: [Token]?, error: (message: String, cursor: Int)?) = {
            let result = pg_query_scan(input)
            defer { pg_query_free_scan_result(result) }
            if let error = result.error {
                let message = error.pointee.message.map { String(cString: $0) } ?? "invalid input"
                return (nil, (message, Int(error.pointee.cursorpos)))
            }
            guard let data = result.pbuf.data, result.pbuf.len > 0 else { return ([], nil) }
            let protobuf = UnsafeRawBufferPointer(start: data, count: Int(result.pbuf.len))
            return (try? decodeScanResult(protobuf.bindMemory(to: UInt8.self), shiftedBy: range.lowerBound), nil)
        }()
        if let error = outcome.error {
            throw Failure(
                message: conciseMessage(error.message),
                offset: byteOffset(ofCharacterPosition: error.cursor, in: bytes, range))
        }
        guard let tokens = outcome.tokens else {
            throw Failure(message: "libpg_query returned a token list that cannot be read", offset: range.lowerBound)
        }
        return tokens
    }

    /// Decodes `ScanResult { repeated ScanToken tokens = 2; }` with
    /// `ScanToken { int32 start = 1; int32 end = 2; Token token = 4; KeywordKind keyword_kind = 5; }`.
    private static func decodeScanResult(
        _ protobuf: UnsafeBufferPointer<UInt8>, shiftedBy shift: Int
    ) throws(ProtobufReader.Malformed) -> [Token] {
        var tokens: [Token] = []
        tokens.reserveCapacity(protobuf.count / 12)  // A token takes 12 bytes or so.
        var reader = ProtobufReader(protobuf)
        while let field = try reader.nextField() {
            guard field.number == 2, field.wireType == ProtobufReader.lengthDelimited else {
                try reader.skip(field.wireType)
                continue
            }
            var message = try reader.readMessage()
            // Protobuf leaves out fields that hold zero, so every field starts at zero.
            var token = Token(kind: 0, isKeyword: false, start: shift, end: shift)
            while let tokenField = try message.nextField() {
                guard tokenField.wireType == ProtobufReader.varint else {
                    try message.skip(tokenField.wireType)
                    continue
                }
                let value = try message.readInt()
                switch tokenField.number {
                case 1: token.start = value + shift
                case 2: token.end = value + shift
                case 4: token.kind = value
                case 5: token.isKeyword = value != 0
                default: break
                }
            }
            tokens.append(token)
        }
        return tokens
    }

    /// Drops the "at or near …" part of PostgreSQL's message: it quotes the rest of the script.
    private static func conciseMessage(_ message: String) -> String {
        for tail in [" at or near ", " at end of input"] {
            if let range = message.range(of: tail) {
                return String(message[..<range.lowerBound])
            }
        }
        return message
    }

    /// The index in `bytes` of PostgreSQL's error cursor, a 1-based count of characters (not
    /// bytes) from the start of `range`.
    private static func byteOffset(
        ofCharacterPosition position: Int, in bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>
    ) -> Int {
        var remaining = position - 1
        var offset = range.lowerBound
        while offset < range.upperBound {
            if !LineIndex.isContinuationByte(bytes[offset]) {
                if remaining <= 0 { break }
                remaining -= 1
            }
            offset += 1
        }
        return offset
    }
}
