import GRDBSQLite

/// Cuts SQLite scripts where SQLite would: `sqlite3_complete` has the last word on every `;`.
///
/// The tokenizer finds each `;` that is outside strings, identifiers and comments; SQLite then
/// says whether the text so far is a complete statement. Only inside a `CREATE TRIGGER … BEGIN
/// … END;` body is it not, and the statement runs on to a later `;`.
enum SQLiteStatementSplitter {
    /// Text that leaves `sqlite3_complete` inside a trigger body just after a `;`.
    ///
    /// `sqlite3_complete` is a small state machine, and after any `;` that does not complete a
    /// statement it is in the same state (`SEMI`, inside a trigger body). So whether a trigger is
    /// complete at a later `;` depends only on the text since the previous `;`: asking about this
    /// prefix plus that text gives SQLite's answer for the whole statement, without rescanning
    /// the body at every `;` (quadratic on a long body, or on a script whose trigger lacks `END`).
    private static let insideTriggerBody = Array("CREATE TRIGGER;".utf8)

    static func split(into collector: inout StatementCollector) throws(SQLSplitError) {
        let utf8 = collector.utf8
        var tokenizer = SQLiteTokenizer(utf8: utf8, from: collector.scriptStart)
        // The first token of the statement being read; nil while only whitespace and comments came.
        var statementStart: Int?
        var lastTokenEnd = 0
        // Where the text to show `sqlite3_complete` next begins: the statement's start, or
        // just past the last `;` once inside a trigger body.
        var pendingStart = 0
        var insideTrigger = false

        while let token = try next(&tokenizer, collector) {
            switch token.kind {
            case .whitespace, .comment:
                continue
            case .semicolon:
                guard let start = statementStart else { continue }  // An empty statement.
                lastTokenEnd = token.end
                let prefix = insideTrigger ? insideTriggerBody : []
                if isComplete(prefix + utf8[pendingStart..<token.end]) {
                    collector.append(start: start, end: token.end)
                    statementStart = nil
                    insideTrigger = false
                } else {
                    insideTrigger = true
                    pendingStart = token.end
                }
            case .other:
                if statementStart == nil {
                    statementStart = token.start
                    pendingStart = token.start
                }
                lastTokenEnd = token.end
            }
        }

        guard let start = statementStart else { return }
        // A last statement may omit its `;`, but a trigger body still needs its `END`.
        let prefix = insideTrigger ? insideTriggerBody : []
        guard isComplete(prefix + utf8[pendingStart...] + Array("\n;".utf8)) else {
            throw collector.error(
                .unterminatedBody,
                "unterminated CREATE TRIGGER: the trigger that starts here has no END; after its body, so SQLite would read the rest of the script as part of it; end the body with END;",
                at: start)
        }
        collector.append(start: start, end: lastTokenEnd)
    }

    private static func next(
        _ tokenizer: inout SQLiteTokenizer, _ collector: StatementCollector
    ) throws(SQLSplitError) -> SQLiteTokenizer.Token? {
        do {
            return try tokenizer.next()
        } catch {
            throw collector.error(error)
        }
    }

    private static func isComplete(_ utf8: [UInt8]) -> Bool {
        // The bytes lie between token boundaries, so they are valid UTF-8 and survive the trip.
        String(decoding: utf8, as: UTF8.self).withCString { sqlite3_complete($0) != 0 }
    }
}
