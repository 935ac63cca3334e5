import Foundation
import SluiceEngine

/// The sessions view of the Logs tab: a running task on a PostgreSQL database shows the
/// server's sessions on that database, reloaded every tick while live.
extension Reducer {
    /// The task whose database sessions are shown now, if any.
    func sessionsTask(_ s: AppState) -> RolloutTask? {
        guard s.tab == .logs, let task = s.selectedTask, task.status == .running,
              s.databases.first(where: { $0.id == task.databaseId })?.engine == .postgres else { return nil }
        return task
    }

    /// Starts (or, with `refresh`, repeats) the load of the sessions shown; clears them when none are.
    func sessionsEffects(_ s: inout AppState, refresh: Bool) -> [Effect] {
        guard let task = sessionsTask(s) else {
            if s.sessions.taskId != nil { s.sessions = SessionsState() }
            return []
        }
        if s.sessions.taskId != task.id {
            s.sessions = SessionsState(taskId: task.id)
            return [.loadSessions(task: task.id)]
        }
        return refresh ? [.loadSessions(task: task.id)] : []
    }

    func sessionsLoaded(_ s: inout AppState, task: Int64, sessions: [DatabaseSession], error: String?) -> [Effect] {
        guard task == s.sessions.taskId else { return [] }
        s.sessions.sessions = sessions
        s.sessions.error = error
        s.sessions.loaded = true
        return []
    }
}
