import Foundation
import GRDB

/// Where a new issue's plan comes from.
public enum PlanInput: Sendable {
    /// One step per environment (in environment order) over the given targets and/or label selection.
    case targets(sql: String, databases: [DatabaseRef], labels: [String: String], type: SpecType,
                 schemaVersion: String?, earliestAllowedTime: String?)
    /// A Bytebase-shaped plan document.
    case document(PlanDocument)
}

extension Workspace {
    /// Creates an issue with its plan and rollout (stages and tasks) in one transaction.
    public func createIssue(by actor: Principal, project: String, title: String, description: String = "",
                            assignee: String? = nil, plan input: PlanInput) throws -> Issue {
        let title = title.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !title.isEmpty else { throw SluiceError.usage("an issue needs a title (--title)") }
        let created = try store.write { db in
            _ = try fetchProject(project, db)
            try require(.issuesCreate, actor, project: project, to: "create issues", db)
            if let assignee, try Bool.fetchOne(db, sql: "SELECT 1 FROM member WHERE email = ?", arguments: [assignee]) == nil {
                throw SluiceError.notFound("no member \(assignee) to assign")
            }
            let planner = Planner(workspace: self, db: db)
            let plan: ResolvedPlan
            switch input {
            case let .targets(sql, refs, labels, type, version, earliest):
                plan = try planner.plan(sql: sql, targets: refs, labels: labels, type: type, schemaVersion: version, earliest: earliest)
            case let .document(doc):
                plan = try planner.plan(document: doc)
            }
            try db.execute(sql: """
                INSERT INTO issue (project, title, description, creator, assignee, status, approvalStatus, riskLevel, createdAt, updatedAt)
                VALUES (?, ?, ?, ?, ?, 'OPEN', 'CHECKING', 'LOW', ?, ?)
                """, arguments: [project, title, description, actor.email, assignee, now, now])
            let issueId = db.lastInsertedRowID
            let insertTask = try db.cachedStatement(sql: """
                INSERT INTO task (issue, stage, position, specId, database, sheet, type, schemaVersion, dependsOn, earliestAllowedTime)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """)
            var taskCount = 0
            for (stepIndex, step) in plan.steps.enumerated() {
                try db.execute(sql: "INSERT INTO stage (issue, position, title, environment) VALUES (?, ?, ?, ?)",
                               arguments: [issueId, stepIndex, step.title, step.environment])
                let stageId = db.lastInsertedRowID
                var position = 0
                for (specIndex, spec) in step.specs.enumerated() {
                    let sheetId = try storeSheet(spec.sql, db)
                    let deps = JSONColumn.encode(spec.dependsOnSpecs)
                    let when = spec.earliestAllowedTime?.timeIntervalSince1970
                    try db.execute(sql: """
                        INSERT INTO planSpec (issue, specId, stage, position, target, sheet, type, schemaVersion, dependsOn, earliestAllowedTime)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                        """, arguments: [issueId, spec.id, stageId, specIndex, spec.target, sheetId, spec.type.rawValue,
                                         spec.schemaVersion, deps, when])
                    for database in spec.databases {
                        try insertTask.execute(arguments: [issueId, stageId, position, spec.id, database.id, sheetId,
                                                           spec.type.rawValue, spec.schemaVersion, deps, when])
                        position += 1
                        taskCount += 1
                    }
                }
            }
            try recordEvent(db, issue: issueId, actor: actor.email, kind: "CREATE",
                            text: "created with \(plan.steps.count) stage(s) and \(taskCount) task(s)")
            try computeApproval(db, issueId: issueId)
            return try fetchIssue(issueId, db)
        }
        try runPlanChecks(issue: created.id, specs: nil)
        // The checks measured rows, which may have changed the risk and its approval flow.
        return try store.read { db in try fetchIssue(created.id, db) }
    }

    /// Stores SQL once per distinct content; returns the sheet id.
    func storeSheet(_ sql: String, _ db: Database) throws -> Int64 {
        let sha = PasswordHasher.sha256Hex(sql)
        try db.execute(sql: "INSERT INTO sheet (sha256, content) VALUES (?, ?) ON CONFLICT(sha256) DO NOTHING", arguments: [sha, sql])
        guard let id = try Int64.fetchOne(db, sql: "SELECT id FROM sheet WHERE sha256 = ?", arguments: [sha]) else {
            throw SluiceError.failure("could not store the SQL sheet")
        }
        return id
    }

    func fetchIssue(_ id: Int64, _ db: Database) throws -> Issue {
        guard let issue = try Issue.fetchOne(db, sql: "SELECT * FROM issue WHERE id = ?", arguments: [id]) else {
            throw SluiceError.notFound("no issue #\(id)", hint: "See `sluice issue list`.")
        }
        return issue
    }

    /// Reads an issue; the member needs `issues.get` in its project.
    public func issue(_ id: Int64, by actor: Principal) throws -> Issue {
        try store.read { db in
            let issue = try fetchIssue(id, db)
            try require(.issuesGet, actor, project: issue.project, to: "read issues", db)
            return issue
        }
    }

    public func issues(by actor: Principal, project: String? = nil, status: IssueStatus? = nil, mine: Bool = false) throws -> [Issue] {
        try store.read { db in
            var sql = "SELECT * FROM issue WHERE 1"
            var args: [any DatabaseValueConvertible] = []
            if let project {
                _ = try fetchProject(project, db)
                sql += " AND project = ?"; args.append(project)
            }
            if let status { sql += " AND status = ?"; args.append(status.rawValue) }
            if mine { sql += " AND (creator = ? OR assignee = ?)"; args.append(actor.email); args.append(actor.email) }
            sql += " ORDER BY id DESC"
            let all = try Issue.fetchAll(db, sql: sql, arguments: StatementArguments(args))
            var readable: [String: Bool] = [:]
            return try all.filter { issue in
                if let r = readable[issue.project] { return r }
                let r = try permissions(of: actor, in: issue.project, db).contains(.issuesGet) || actor == .system
                readable[issue.project] = r
                return r
            }
        }
    }

    /// Everything about one issue: plan, stages with tasks and waiting causes, approvals, timeline.
    public func issueDetail(_ id: Int64, by actor: Principal) throws -> IssueDetail {
        try store.read { db in
            let issue = try fetchIssue(id, db)
            try require(.issuesGet, actor, project: issue.project, to: "read issues", db)
            let specs = try Row.fetchAll(db, sql: """
                SELECT p.*, s.sha256 FROM planSpec p JOIN sheet s ON s.id = p.sheet JOIN stage st ON st.id = p.stage
                WHERE p.issue = ? ORDER BY st.position, p.position
                """, arguments: [id]).map { row in
                PlanSpec(id: row["specId"], stageId: row["stage"], target: row["target"], sheetId: row["sheet"],
                         sheetSHA256: row["sha256"], type: SpecType(rawValue: row["type"]) ?? .migrate,
                         schemaVersion: row["schemaVersion"], dependsOnSpecs: JSONColumn.decodeStrings(row["dependsOn"]),
                         earliestAllowedTime: (row["earliestAllowedTime"] as Double?).map(Date.init(timeIntervalSince1970:)))
            }
            let tasks = try fetchTasks(db, issue: id)
            let stages = try Row.fetchAll(db, sql: "SELECT * FROM stage WHERE issue = ? ORDER BY position", arguments: [id]).map { row in
                Stage(id: row["id"], position: row["position"], title: row["title"], environment: row["environment"])
            }
            let details = stages.map { stage in
                let ts = tasks.filter { $0.stageId == stage.id }
                return StageDetail(stage: stage, tasks: ts, finished: ts.allSatisfy { $0.status.finishesStage })
            }
            let approvals = try fetchApprovals(db, issue: id)
            let timeline = try IssueEvent.fetchAll(db, sql: "SELECT * FROM issueEvent WHERE issue = ? ORDER BY id", arguments: [id])
            return IssueDetail(issue: issue, specs: specs, stages: details, approvals: approvals, timeline: timeline)
        }
    }

    /// The SQL of a sheet by id.
    public func sheet(_ id: Int64) throws -> String {
        try store.read { db in
            guard let s = try String.fetchOne(db, sql: "SELECT content FROM sheet WHERE id = ?", arguments: [id]) else {
                throw SluiceError.notFound("no sheet \(id)")
            }
            return s
        }
    }

    public func comment(by actor: Principal, issue id: Int64, text: String) throws -> IssueEvent {
        let text = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !text.isEmpty else { throw SluiceError.usage("the comment is empty (--text)") }
        return try store.write { db in
            let issue = try fetchIssue(id, db)
            try checkComment(db, issue, actor)
            try recordEvent(db, issue: id, actor: actor.email, kind: "COMMENT", text: text)
            guard let event = try IssueEvent.fetchOne(db, sql: "SELECT * FROM issueEvent WHERE id = ?", arguments: [db.lastInsertedRowID]) else {
                throw SluiceError.failure("the comment was not recorded")
            }
            return event
        }
    }

    /// Marks an issue DONE or CANCELED; refused while any of its runs is PENDING or RUNNING.
    public func setIssueStatus(by actor: Principal, issue id: Int64, to status: IssueStatus) throws -> Issue {
        try store.write { db in
            let issue = try fetchIssue(id, db)
            try checkStatusChange(db, issue, actor)
            try db.execute(sql: "UPDATE issue SET status = ? WHERE id = ?", arguments: [status.rawValue, id])
            try recordEvent(db, issue: id, actor: actor.email, kind: status == .done ? "RESOLVE" : "CANCEL",
                            text: status == .done ? "resolved" : "canceled")
            return try fetchIssue(id, db)
        }
    }

    /// Replaces the SQL of one spec (a new sheet) for tasks not yet run; resets approval.
    public func editSQL(by actor: Principal, issue id: Int64, spec specId: String, sql: String) throws -> Issue {
        let edited = try store.write { db in
            let issue = try fetchIssue(id, db)
            let type = try checkEditSQL(db, issue, actor, spec: specId)
            try Planner.requireSQL(sql, type: type, spec: "spec \(specId)")
            let sheetId = try storeSheet(sql, db)
            try db.execute(sql: "UPDATE planSpec SET sheet = ? WHERE issue = ? AND specId = ?", arguments: [sheetId, id, specId])
            try db.execute(sql: "UPDATE task SET sheet = ? WHERE issue = ? AND specId = ?", arguments: [sheetId, id, specId])
            try resetPlanChecks(db, issue: id, spec: specId)
            try recordEvent(db, issue: id, actor: actor.email, kind: "EDIT_SQL", text: "SQL of spec \(specId) changed; approvals reset")
            try computeApproval(db, issueId: id)
            return try fetchIssue(id, db)
        }
        // Later specs on the same databases dry-run after this one, so their checks change too.
        try runPlanChecks(issue: id, specs: nil)
        return try store.read { db in try fetchIssue(edited.id, db) }
    }
}
