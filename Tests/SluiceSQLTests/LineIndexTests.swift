import Testing
@testable import SluiceSQL

@Suite struct LineIndexTests {
    @Test func emptySourceIsOneEmptyLine() {
        let index = LineIndex("")
        #expect(index.lineCount == 1)
        #expect(index.position(ofByteOffset: 0) == SourcePosition(line: 1, column: 1))
        #expect(LineIndex.position(ofByteOffset: 0, in: "") == (1, 1))
    }

    @Test func lineFeedCRLFAndLoneCarriageReturnEachBreakOnce() {
        let source = "a\nb\r\nc\rd\r\n\r\ne"
        let index = LineIndex(source)
        #expect(index.lineCount == 6)
        let expected: [(offset: Int, line: Int, column: Int)] = [
            (0, 1, 1), (1, 1, 2),  // a, then its LF
            (2, 2, 1), (3, 2, 2), (4, 2, 3),  // b, its CR, its LF: CRLF is one break
            (5, 3, 1), (6, 3, 2),  // c, then a lone CR
            (7, 4, 1),  // d
            (10, 5, 1),  // the empty line between two CRLFs
            (12, 6, 1),  // e
        ]
        for item in expected {
            #expect(index.position(ofByteOffset: item.offset) == SourcePosition(line: item.line, column: item.column))
            #expect(LineIndex.position(ofByteOffset: item.offset, in: source) == (item.line, item.column))
        }
    }

    @Test func columnsCountUnicodeScalarsNotBytes() {
        // é is 2 bytes, € 3, 😀 4: x sits at byte 9 but in column 4.
        let source = "é€😀x\n日本y"
        let index = LineIndex(source)
        #expect(index.position(ofByteOffset: 9) == SourcePosition(line: 1, column: 4))
        #expect(index.position(ofByteOffset: 17) == SourcePosition(line: 2, column: 3))
        #expect(LineIndex.position(ofByteOffset: 17, in: source) == (2, 3))
    }

    @Test func aLeadingByteOrderMarkTakesNoColumn() {
        let source = "\u{FEFF}ab\n\u{FEFF}c"
        let index = LineIndex(source)
        #expect(index.position(ofByteOffset: 3) == SourcePosition(line: 1, column: 1))
        #expect(index.position(ofByteOffset: 4) == SourcePosition(line: 1, column: 2))
        // Only at the very start: elsewhere U+FEFF is a character like any other.
        #expect(index.position(ofByteOffset: 9) == SourcePosition(line: 2, column: 2))
        #expect(LineIndex.position(ofByteOffset: 4, in: source) == (1, 2))
        #expect(LineIndex.position(ofByteOffset: 9, in: source) == (2, 2))
    }

    @Test func offsetsOutsideTheSourceAreClamped() {
        let source = "ab\ncd"
        let index = LineIndex(source)
        #expect(index.position(ofByteOffset: -4) == SourcePosition(line: 1, column: 1))
        #expect(index.position(ofByteOffset: 99) == SourcePosition(line: 2, column: 3))
        #expect(LineIndex.position(ofByteOffset: 99, in: source) == (2, 3))
        #expect(LineIndex.position(ofByteOffset: -4, in: source) == (1, 1))
    }

    @Test(arguments: [
        "", "\n", "\r", "\r\n", "\n\r", "a\r", "a\r\n", "\r\r\n\n", "x\ny\r\nz\rw",
        "é\r\n😀\r👍🏽 e\u{301}\n", "-- ü€😀\r\nSELECT 'é', 'x';\r\n", "\u{FEFF}", "\u{FEFF}a\r\n\u{FEFF}b",
    ])
    func singlePassAgreesWithTheIndexAtEveryOffset(_ source: String) {
        let index = LineIndex(source)
        for offset in -1...(source.utf8.count + 1) {
            let position = index.position(ofByteOffset: offset)
            let single = LineIndex.position(ofByteOffset: offset, in: source)
            #expect(single == (position.line, position.column), "offset \(offset) of \(source.debugDescription)")
        }
    }

    @Test(arguments: Script.sqlite + Script.postgres)
    func agreesWithCountingCharactersOnFixtures(_ script: Script) {
        for source in [script.text, withCRLF(script.text)] {
            let index = LineIndex(source)
            let bytes = Array(source.utf8)
            for offset in 0...bytes.count {
                let startsScalar = offset == bytes.count || !LineIndex.isContinuationByte(bytes[offset])
                let insideCRLF = offset > 0 && offset < bytes.count
                    && bytes[offset - 1] == UInt8(ascii: "\r") && bytes[offset] == UInt8(ascii: "\n")
                guard startsScalar, !insideCRLF, offset % 7 == 0 || offset == bytes.count else { continue }
                let naive = naivePosition(ofByteOffset: offset, in: source)
                #expect(index.position(ofByteOffset: offset) == SourcePosition(line: naive.line, column: naive.column))
            }
        }
    }
}
