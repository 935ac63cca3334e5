import SluiceEngine

/// The Checks tab's data, mapped in one place. Today the engine exposes no plan-check results
/// in `IssueDetail`; each spec × database row shows what is known (the task's waiting cause
/// when it mentions checks). Plan-check results plug in here when the engine provides them.
struct ChecksViewModel {
    struct Row {
        var spec: String
        var database: String
        var environment: String
        var result: String
        var role: Role
        var messages: [String]
    }
    var rows: [Row]
    var note: String?

    init(detail d: IssueDetail) {
        rows = d.stages.flatMap { st in
            st.tasks.map { t in
                let failedChecks = t.waitingCause?.lowercased().contains("check") ?? false
                return Row(spec: t.specId, database: t.database, environment: st.stage.environment,
                           result: failedChecks ? "ERROR" : "NOT RUN",
                           role: failedChecks ? .checkError : .dim,
                           messages: failedChecks ? [t.waitingCause ?? ""] : [])
            }
        }
        note = "Plan-check results are not reported by this engine build yet."
    }
}
