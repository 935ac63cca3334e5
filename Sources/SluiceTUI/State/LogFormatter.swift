import Foundation
import SluiceEngine

/// Turns task-run log rows into display lines once, when they arrive (render stays cheap).
enum LogFormatter {
    static func time(_ d: Date) -> String {
        var t = time_t(d.timeIntervalSince1970)
        var parts = tm()
        localtime_r(&t, &parts)
        let ms = Int((d.timeIntervalSince1970 - Double(t)) * 1000)
        return String(format: "%02d:%02d:%02d.%03d", parts.tm_hour, parts.tm_min, parts.tm_sec, max(0, min(999, ms)))
    }

    static func line(_ l: TaskRunLogLine) -> LogState.Line {
        var text = ""
        let role: Role
        switch l.kind {
        case "STATEMENT":
            role = .logStatement
            let sql = (l.sql ?? "").split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }.joined(separator: " ")
            text = "#\((l.statementIndex ?? 0) + 1)"
            if let line = l.line { text += " line \(line)" }
            text += ": \(sql)"
            var facts: [String] = []
            if let ms = l.durationMs { facts.append(String(format: "%.1f ms", ms)) }
            if let rows = l.affectedRows { facts.append("\(rows) row\(rows == 1 ? "" : "s")") }
            if !facts.isEmpty { text += "  (\(facts.joined(separator: ", ")))" }
        case "ERROR", "FAILED", "CANCELED":
            role = .logError
            text = l.kind
            if let line = l.line { text += " at line \(line)\(l.column.map { ":\($0)" } ?? "")" }
            if let m = l.message { text += ": \(m)" }
        case "DONE":
            role = .logDone
            text = "DONE" + (l.message.map { ": \($0)" } ?? "")
        default:
            role = .logInfo
            text = l.message ?? l.kind
        }
        return LogState.Line(time: time(l.at), text: text, role: role)
    }
}

extension LogFormatter {
    /// Local date and minute, for approvals and other events a person dates.
    static func dateTime(_ d: Date) -> String {
        var t = time_t(d.timeIntervalSince1970)
        var parts = tm()
        localtime_r(&t, &parts)
        return String(format: "%04d-%02d-%02d %02d:%02d", parts.tm_year + 1900, parts.tm_mon + 1, parts.tm_mday, parts.tm_hour, parts.tm_min)
    }
}
