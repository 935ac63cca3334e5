/// A minimal reader of the protocol-buffers wire format, enough for libpg_query's scan results.
///
/// libpg_query returns its token list only as protobuf; decoding the two small messages by hand
/// spares the package a protobuf runtime and generated code.
struct ProtobufReader {
    /// A field key: which field, and how its value is encoded.
    struct Field: Equatable {
        var number: Int
        var wireType: Int
    }

    /// The bytes do not form the message we expected.
    struct Malformed: Error {}

    static let varint = 0
    static let fixed64 = 1
    static let lengthDelimited = 2
    static let fixed32 = 5

    private let bytes: UnsafeBufferPointer<UInt8>
    private var position: Int
    private let end: Int

    /// A reader over `bytes`, which must outlive it.
    init(_ bytes: UnsafeBufferPointer<UInt8>) {
        self.init(bytes, range: 0..<bytes.count)
    }

    private init(_ bytes: UnsafeBufferPointer<UInt8>, range: Range<Int>) {
        self.bytes = bytes
        self.position = range.lowerBound
        self.end = range.upperBound
    }

    /// The next field's key, or nil at the end of the message.
    mutating func nextField() throws(Malformed) -> Field? {
        guard position < end else { return nil }
        let key = try readVarint()
        return Field(number: Int(key >> 3), wireType: Int(key & 0x7))
    }

    /// A varint field's value as an `Int` (negative int32 values arrive sign-extended to 64 bits).
    mutating func readInt() throws(Malformed) -> Int {
        Int(truncatingIfNeeded: try readVarint())
    }

    /// A reader over an embedded message (a length-delimited field).
    mutating func readMessage() throws(Malformed) -> ProtobufReader {
        let length = try readVarint()
        guard length <= UInt64(end - position) else { throw Malformed() }
        let start = position
        position += Int(length)
        return ProtobufReader(bytes, range: start..<position)
    }

    /// Skips a field's value that the caller does not need.
    mutating func skip(_ wireType: Int) throws(Malformed) {
        let length: UInt64
        switch wireType {
        case Self.varint:
            _ = try readVarint()
            return
        case Self.fixed64:
            length = 8
        case Self.lengthDelimited:
            length = try readVarint()
        case Self.fixed32:
            length = 4
        default:
            throw Malformed()
        }
        guard length <= UInt64(end - position) else { throw Malformed() }
        position += Int(length)
    }

    private mutating func readVarint() throws(Malformed) -> UInt64 {
        var value: UInt64 = 0
        var shift: UInt64 = 0
        while position < end, shift < 64 {
            let byte = bytes[position]
            position += 1
            value |= UInt64(byte & 0x7F) << shift
            if byte & 0x80 == 0 { return value }
            shift += 7
        }
        throw Malformed()
    }
}
