import Foundation
import SluiceEngine

/// The sessions view's rows, mapped from the engine's `DatabaseSession`s in one place:
/// pid, state, wait event, when the query started (local time) and for how long, the query on one line.
struct SessionsViewModel {
    struct Row: Equatable {
        var pid: String
        var state: String
        var wait: String
        var started: String
        var query: String
        var role: Role
    }

    var title: String
    var rows: [Row]
    /// Instead of rows: loading, an error, or nothing to show.
    var note: String?
    var noteRole: Role = .dim

    init(_ s: SessionsState, database: String) {
        title = "Sessions on \(database) (pg_stat_activity)"
        rows = s.sessions.map(SessionsViewModel.row)
        if let e = s.error {
            note = "cannot read the sessions: \(e)"
            noteRole = .error
        } else if !s.loaded {
            note = "loading sessions…"
        } else if rows.isEmpty {
            note = "no other session on this database"
        }
        if s.loaded && s.error == nil { title += " · \(rows.count)" }
    }

    static func row(_ x: DatabaseSession) -> Row {
        let role: Role = !x.waitEvent.isEmpty && x.waitEvent.hasPrefix("Lock") ? .statusBlocked
            : x.state == "active" ? .statusRunning
            : x.state.hasPrefix("idle in transaction") ? .checkWarning : .dim
        let state = x.state.replacingOccurrences(of: "idle in transaction", with: "idle in txn")
        return Row(pid: "\(x.pid)", state: state.isEmpty ? "—" : state, wait: x.waitEvent.isEmpty ? "—" : x.waitEvent,
                   started: started(x), query: x.query.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }
                    .joined(separator: " "), role: role)
    }

    /// "11:34:28 12.3s": local time of `query_start` and how long ago.
    static func started(_ x: DatabaseSession) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        let at = x.queryStart.flatMap { formatter.date(from: $0) }.map { String(LogFormatter.time($0).prefix(8)) } ?? "—"
        guard let ms = x.queryMs else { return at }
        return at + (ms < 1000 ? String(format: " %.0fms", ms) : String(format: " %.1fs", ms / 1000))
    }
}
