// libFuzzer target for both statement splitters (see scripts/fuzz.sh). Compiled with the
// SluiceSQL sources, not part of the package: `swiftc -sanitize=fuzzer,address -parse-as-library`.
//
// The first byte picks the dialect; the rest is the script. A split either throws
// SQLSplitError or returns statements that satisfy the splitters' contract; anything else
// (a crash, an out-of-range offset, text that is not the source's bytes) aborts, and so does a
// PostgreSQL split that changes when its scanner windows are cut small or a second scan is
// started at an arbitrary offset, or a PostgreSQL script that the parser path
// (`PostgresParsedScript`) splits and classifies other than the scanner path does.

import Foundation

private let pinnedDialect = ProcessInfo.processInfo.environment["SLUICE_FUZZ_DIALECT"].flatMap(SQLDialect.init(rawValue:))

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzTestOneInput(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    guard size > 0 else { return 0 }
    // SLUICE_FUZZ_DIALECT pins the dialect (the first byte is then ignored).
    let dialect = pinnedDialect ?? (data[0] & 1 == 0 ? .sqlite : .postgres)
    let bytes = Array(UnsafeBufferPointer(start: data + 1, count: size - 1))
    // Splitters take Swift strings: invalid UTF-8 is repaired on the way in, as from a file.
    let source = String(decoding: bytes, as: UTF8.self)
    let utf8 = Array(source.utf8)
    if dialect == .postgres {
        checkWindowsAndGuesses(source, windowSize: 1 + size * 7 % 97, guess: size * 31 % (utf8.count + 1))
        checkParserPath(source, chunkSize: 1 + size * 13 % 211)
    }
    do {
        let statements = try StatementSplitter.split(source, dialect: dialect)
        var previousEnd = 0
        for (position, statement) in statements.enumerated() {
            guard statement.index == position, statement.start >= previousEnd, statement.start < statement.end,
                  statement.end <= utf8.count,
                  statement.text == String(decoding: utf8[statement.start..<statement.end], as: UTF8.self),
                  statement.line >= 1, statement.column >= 1 else {
                fatalError("inconsistent statement \(position) for \(dialect)")
            }
            previousEnd = statement.end
        }
        if ProcessInfo.processInfo.environment["SLUICE_FUZZ_CLASSIFY"] != nil {
            _ = SQLClassifier.classify(statements, dialect: dialect)
        }
    } catch let error as SQLSplitError {
        guard error.offset >= 0, error.offset <= utf8.count, error.line >= 1, error.column >= 1 else {
            fatalError("error outside the source: \(error)")
        }
    } catch {
        fatalError("unexpected error type \(error)")
    }
    return 0
}

/// PostgreSQL scripts are scanned in windows, and long ones partly on a second core from a
/// guessed offset: tiny windows and any guess must give exactly what the plain split gives.
private func checkWindowsAndGuesses(_ source: String, windowSize: Int, guess: Int) {
    func outcome(_ body: () throws -> [SQLStatement]) -> String {
        do { return "\(try body())" } catch { return "error \(error)" }
    }
    let plain = outcome { try StatementSplitter.scannerSplit(source, dialect: .postgres) }
    let cut = outcome {
        try StatementSplitter.split(source, dialect: .postgres, postgresWindowSize: windowSize, postgresGuess: guess)
    }
    guard plain == cut else { fatalError("window \(windowSize), guess \(guess): \(cut) instead of \(plain)") }
}

/// Where the parser path takes a script at all, it must give exactly what the scanner split and
/// a JSON parse per statement give, whether chunks are cut at every `;` that ends a line or only
/// where a statement seems to start.
private func checkParserPath(_ source: String, chunkSize: Int) {
    guard let statements = try? StatementSplitter.scannerSplit(source, dialect: .postgres) else {
        // A script the scanner cannot split must not be taken by the parser path either.
        if PostgresParsedScript.splitAndClassify(source) != nil { fatalError("parser path took a script the scanner refuses") }
        return
    }
    if let split = PostgresParsedScript.split(source), split != statements {
        fatalError("parser path split \(split) instead of \(statements)")
    }
    let reference = PostgresClassifier.classify(statements)
    for anyLineEnd in [false, true] {
        guard let parsed = PostgresParsedScript.splitAndClassify(source, chunkSize: chunkSize, cutAtAnyLineEnd: anyLineEnd) else { continue }
        guard parsed == reference else { fatalError("parser path, chunks of \(chunkSize): \(parsed) instead of \(reference)") }
    }
}
