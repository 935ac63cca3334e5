import Foundation
import Testing

/// A migration script used as a test fixture (see `Fixtures/`).
struct Script: Sendable, CustomTestStringConvertible {
    var name: String
    var text: String

    var testDescription: String { name }

    static let sqlite: [Script] = [.sqliteCustomers, .sqliteTriggers]
    static let postgres: [Script] = [.postgresAccounts, .postgresRoutines]
}

/// The same script with CRLF line endings, as it arrives from a Windows editor.
func withCRLF(_ text: String) -> String {
    text.replacingOccurrences(of: "\n", with: "\r\n")
}

/// Line and column of a byte offset, computed the slow, obvious way with Swift's characters
/// (where CRLF is one character), to check `LineIndex` against. A leading byte-order mark takes
/// no column. Not for an offset between a CR and its LF.
func naivePosition(ofByteOffset offset: Int, in source: String) -> (line: Int, column: Int) {
    var prefix = String(decoding: Array(source.utf8)[..<offset], as: UTF8.self)
    if prefix.unicodeScalars.first == "\u{FEFF}" { prefix.unicodeScalars.removeFirst() }
    var line = 1
    var column = 1
    for character in prefix {
        if character == "\n" || character == "\r" || character == "\r\n" {
            line += 1
            column = 1
        } else {
            column += character.unicodeScalars.count
        }
    }
    return (line, column)
}

/// The source's bytes in `range`, as text.
func slice(_ source: String, _ range: Range<Int>) -> String {
    String(decoding: Array(source.utf8)[range], as: UTF8.self)
}

struct OracleError: Error, CustomStringConvertible {
    var description: String
}
