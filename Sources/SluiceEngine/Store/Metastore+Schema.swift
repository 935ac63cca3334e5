import GRDB

extension Metastore {
    /// The metastore's own schema, one migration per released change. Never edit a shipped one.
    static let migrator: DatabaseMigrator = {
        var m = DatabaseMigrator()
        m.registerMigration("v1-workspace") { db in
            try db.execute(sql: """
            CREATE TABLE workspace (
                key TEXT PRIMARY KEY,
                value TEXT NOT NULL
            );
            CREATE TABLE environment (
                name TEXT PRIMARY KEY,
                position INTEGER NOT NULL,
                protected BOOLEAN NOT NULL DEFAULT 0,
                autoRollout BOOLEAN NOT NULL DEFAULT 0,
                rolloutRoles TEXT NOT NULL DEFAULT '[]'
            );
            CREATE TABLE instance (
                name TEXT PRIMARY KEY,
                engine TEXT NOT NULL,
                location TEXT NOT NULL,
                environment TEXT NOT NULL REFERENCES environment(name),
                maxConnections INTEGER NOT NULL DEFAULT 8,
                createdAt DOUBLE NOT NULL
            );
            CREATE TABLE targetDatabase (
                id INTEGER PRIMARY KEY,
                instance TEXT NOT NULL REFERENCES instance(name) ON DELETE CASCADE,
                name TEXT NOT NULL,
                environment TEXT REFERENCES environment(name),
                location TEXT NOT NULL,
                labels TEXT NOT NULL DEFAULT '{}',
                syncedAt DOUBLE NOT NULL,
                UNIQUE(instance, name)
            );
            CREATE TABLE member (
                email TEXT PRIMARY KEY COLLATE NOCASE,
                name TEXT NOT NULL,
                passwordHash TEXT NOT NULL,
                role TEXT NOT NULL,
                createdAt DOUBLE NOT NULL
            );
            CREATE TABLE loginSession (
                tokenHash TEXT PRIMARY KEY,
                email TEXT NOT NULL REFERENCES member(email) ON DELETE CASCADE,
                createdAt DOUBLE NOT NULL,
                expiresAt DOUBLE NOT NULL
            );
            CREATE TABLE customRole (
                name TEXT PRIMARY KEY,
                permissions TEXT NOT NULL
            );
            CREATE TABLE project (
                key TEXT PRIMARY KEY,
                title TEXT NOT NULL,
                allowSelfApproval BOOLEAN NOT NULL DEFAULT 0,
                autoResolve BOOLEAN NOT NULL DEFAULT 1,
                allowWarnings BOOLEAN NOT NULL DEFAULT 0,
                createdAt DOUBLE NOT NULL
            );
            CREATE TABLE projectMember (
                project TEXT NOT NULL REFERENCES project(key) ON DELETE CASCADE,
                email TEXT NOT NULL REFERENCES member(email) ON DELETE CASCADE,
                role TEXT NOT NULL,
                PRIMARY KEY (project, email)
            );
            CREATE TABLE sheet (
                id INTEGER PRIMARY KEY,
                sha256 TEXT NOT NULL UNIQUE,
                content TEXT NOT NULL
            );
            CREATE TABLE issue (
                id INTEGER PRIMARY KEY,
                project TEXT NOT NULL REFERENCES project(key),
                title TEXT NOT NULL,
                description TEXT NOT NULL DEFAULT '',
                creator TEXT NOT NULL,
                assignee TEXT,
                status TEXT NOT NULL,
                approvalStatus TEXT NOT NULL,
                riskLevel TEXT NOT NULL,
                createdAt DOUBLE NOT NULL,
                updatedAt DOUBLE NOT NULL
            );
            CREATE INDEX issue_project ON issue(project, status);
            CREATE TABLE issueEvent (
                id INTEGER PRIMARY KEY,
                issue INTEGER NOT NULL REFERENCES issue(id) ON DELETE CASCADE,
                at DOUBLE NOT NULL,
                actor TEXT NOT NULL,
                kind TEXT NOT NULL,
                text TEXT NOT NULL DEFAULT ''
            );
            CREATE INDEX issueEvent_issue ON issueEvent(issue, id);
            CREATE TABLE stage (
                id INTEGER PRIMARY KEY,
                issue INTEGER NOT NULL REFERENCES issue(id) ON DELETE CASCADE,
                position INTEGER NOT NULL,
                title TEXT NOT NULL,
                environment TEXT NOT NULL REFERENCES environment(name),
                UNIQUE(issue, position)
            );
            CREATE TABLE planSpec (
                issue INTEGER NOT NULL REFERENCES issue(id) ON DELETE CASCADE,
                specId TEXT NOT NULL,
                stage INTEGER NOT NULL REFERENCES stage(id) ON DELETE CASCADE,
                position INTEGER NOT NULL,
                target TEXT NOT NULL,
                sheet INTEGER NOT NULL REFERENCES sheet(id),
                type TEXT NOT NULL,
                schemaVersion TEXT,
                dependsOn TEXT NOT NULL DEFAULT '[]',
                earliestAllowedTime DOUBLE,
                PRIMARY KEY (issue, specId)
            );
            CREATE TABLE task (
                id INTEGER PRIMARY KEY,
                issue INTEGER NOT NULL REFERENCES issue(id) ON DELETE CASCADE,
                stage INTEGER NOT NULL REFERENCES stage(id) ON DELETE CASCADE,
                position INTEGER NOT NULL,
                specId TEXT NOT NULL,
                database INTEGER NOT NULL REFERENCES targetDatabase(id),
                sheet INTEGER NOT NULL REFERENCES sheet(id),
                type TEXT NOT NULL,
                schemaVersion TEXT,
                dependsOn TEXT NOT NULL DEFAULT '[]',
                earliestAllowedTime DOUBLE,
                status TEXT NOT NULL DEFAULT 'NOT_STARTED',
                skipReason TEXT,
                UNIQUE(stage, position)
            );
            CREATE INDEX task_database ON task(database, status);
            CREATE INDEX task_status ON task(status);
            CREATE INDEX task_issue ON task(issue, status);
            CREATE INDEX task_stage ON task(stage, status);
            CREATE INDEX issue_status ON issue(status);
            CREATE TABLE taskRun (
                id INTEGER PRIMARY KEY,
                task INTEGER NOT NULL REFERENCES task(id) ON DELETE CASCADE,
                attempt INTEGER NOT NULL,
                status TEXT NOT NULL,
                createdAt DOUBLE NOT NULL,
                createdBy TEXT NOT NULL,
                startedAt DOUBLE,
                finishedAt DOUBLE,
                runner TEXT,
                leaseUntil DOUBLE,
                cancelRequested BOOLEAN NOT NULL DEFAULT 0,
                nonTransactional BOOLEAN NOT NULL DEFAULT 0,
                message TEXT,
                UNIQUE(task, attempt)
            );
            CREATE INDEX taskRun_status ON taskRun(status);
            CREATE TABLE taskRunLog (
                id INTEGER PRIMARY KEY,
                taskRun INTEGER NOT NULL REFERENCES taskRun(id) ON DELETE CASCADE,
                at DOUBLE NOT NULL,
                kind TEXT NOT NULL,
                statementIndex INTEGER,
                line INTEGER,
                column INTEGER,
                durationMs DOUBLE,
                affectedRows INTEGER,
                sql TEXT,
                message TEXT
            );
            CREATE INDEX taskRunLog_run ON taskRunLog(taskRun, id);
            CREATE TABLE runner (
                id TEXT PRIMARY KEY,
                pid INTEGER NOT NULL,
                host TEXT NOT NULL,
                startedAt DOUBLE NOT NULL,
                heartbeatAt DOUBLE NOT NULL
            );
            CREATE TABLE approvalFlow (
                name TEXT PRIMARY KEY,
                roles TEXT NOT NULL
            );
            CREATE TABLE approvalRule (
                source TEXT NOT NULL,
                level TEXT NOT NULL,
                flow TEXT NOT NULL REFERENCES approvalFlow(name),
                PRIMARY KEY (source, level)
            );
            CREATE TABLE issueApproval (
                issue INTEGER NOT NULL REFERENCES issue(id) ON DELETE CASCADE,
                position INTEGER NOT NULL,
                role TEXT NOT NULL,
                status TEXT NOT NULL,
                approver TEXT,
                at DOUBLE,
                PRIMARY KEY (issue, position)
            );
            """)
        }
        registerGovernanceMigration(&m)
        registerPostgresMigrations(&m)
        registerSchemaCheckMigrations(&m)
        registerSignInMigrations(&m)
        registerScaleMigrations(&m)
        return m
    }()
}
