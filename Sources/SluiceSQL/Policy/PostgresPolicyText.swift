/// The reasons and hints of ``PostgresSheetPolicy``'s refusals, shared by the checks that give
/// them. Reasons are clauses (the violation's description adds "is refused: "), hints sentences.
enum PostgresPolicyText {
    // Transaction control.
    static let transactionReason = "Sluice runs the task in a transaction of its own and writes the task's history row in it; this would end or nest that transaction"
    static let transactionHint = "Sluice runs every task in one transaction of its own: remove it. Statements PostgreSQL refuses inside a transaction (CREATE INDEX CONCURRENTLY, VACUUM…) are recognised and run outside one automatically."
    static let savepointReason = "savepoints belong to the transaction Sluice owns: rolling back to one could undo part of the task behind Sluice's back"
    static let savepointHint = "Remove it: Sluice rolls the whole task back when a statement fails. To recover from an error inside the sheet, use a DO block with an EXCEPTION clause."
    static let twoPhaseReason = "two-phase commit hands a transaction over to be finished outside the task"
    static let twoPhaseHint = "Remove it: Sluice commits or rolls back the task's transaction itself."
    static let transactionModeReason = "how the task's transaction runs (isolation, read-only, snapshot) is Sluice's to decide"
    static let transactionModeHint = "Remove it: the task runs in the transaction Sluice opens for it."

    // State that outlives the task.
    static let sessionSettingReason = "a session setting outlives the task: it stays on the connection for whatever runs next"
    static let roleReason = "it changes who the task runs as, and so what the task may do"
    static let roleHint = "Remove it: the task runs as the role its target is configured with. To give an object to another role, use ALTER … OWNER TO that role."
    static let discardReason = "it throws away session state that Sluice and the connection rely on"
    static let discardHint = "Remove it: every task starts from the same session state."
    static let loadReason = "it loads a shared library into the server process"
    static let loadHint = "Ask a DBA to configure the library on the server; a sheet cannot load one."
    static let listenReason = "a LISTEN outlives the task on the connection and collects notifications that no one reads"
    static let listenHint = "Remove it: a sheet has no one to receive notifications. NOTIFY and pg_notify are allowed."
    static let prepareReason = "a prepared statement outlives the task on the connection, which later tasks may share"
    static let prepareHint = "Write the statement out in full where it is needed (a DO block can run it several times)."
    static let executeReason = "it runs a prepared statement, which this sheet cannot have prepared (PREPARE is refused) and Sluice cannot check"
    static let executeHint = "Write the statement out in full instead of executing a prepared one."
    static let deallocateReason = "prepared statements belong to the session, not the task: this could remove one the connection relies on"
    static let deallocateHint = "Remove it."
    static let holdCursorReason = "a WITH HOLD cursor outlives the task's transaction"
    static let holdCursorHint = "Declare the cursor WITHOUT HOLD, or loop over the query in a DO block."
    static let setConfigReason = "unless its third argument is the constant true, set_config changes the setting for the whole session, beyond the task"
    static let setConfigHint = "Pass true as the third argument, set_config(name, value, true), or use SET LOCAL name = value; both end with the task's transaction."

    // Instance-wide objects and other databases.
    static let instanceReason = "it changes an object shared by the whole server, beyond the target database"
    static let instanceHint = "Roles and databases are instance-wide; a DBA manages them outside a sheet."
    static let alterSystemReason = "it changes the configuration of the whole server"
    static let alterSystemHint = "Ask a DBA to change the server's configuration; inside the task, SET LOCAL changes a setting until the task ends."
    static let replicationReason = "replication copies data between this database and others"
    static let replicationHint = "Ask a DBA to set up replication outside a sheet."
    static let checkpointReason = "it is server-wide maintenance that flushes every database's changes to disk"
    static let checkpointHint = "Remove it: the server checkpoints on its own."
    static let eventTriggerReason = "an event trigger fires on every later schema change in the database, Sluice's own included, long after the task"
    static let eventTriggerHint = "Ask a DBA to install event triggers outside a sheet; to react to one table's changes, use CREATE TRIGGER."
    static let foreignReason = "foreign-data wrappers, foreign servers and user mappings reach other databases and systems from this one"
    static let foreignHint = "Ask a DBA to set up foreign servers outside a sheet; a sheet touches only its target."
    static let extensionReason = "this extension reaches outside the database (other databases, files, programs or other sessions)"
    static let extensionHint = "Ask a DBA to install it outside a sheet; extensions such as pgcrypto, citext, pg_trgm or hstore are allowed."

    // Files and programs.
    static let copyFileReason = "it reads or writes a file on the database server"
    static let copyProgramReason = "it runs a program on the database server"
    static let copyStreamReason = "a task has no data channel: nothing feeds STDIN and nothing reads STDOUT"
    static let copyHint = "Load rows with INSERT … VALUES or INSERT … SELECT."
    static let untrustedLanguageReason = "code in an untrusted language runs inside the server with the server's own rights, unchecked by the database's permissions"
    static let untrustedLanguageHint = "Write it in plpgsql or sql, or ask a DBA to install it."
    static let createLanguageReason = "a procedural language is installed into the server's catalog with a handler written in C"
    static let createLanguageHint = "Ask a DBA to install the language; plpgsql and sql are always available."

    // Functions.
    static let fileFunctionReason = "it reads or writes files on the database server"
    static let fileFunctionHint = "Ask a DBA: a sheet changes its target's schema and data, not the server's files."
    static let sessionFunctionReason = "it acts on other sessions of the server"
    static let sessionFunctionHint = "Remove it; ask a DBA to deal with other sessions."
    static let serverFunctionReason = "it controls the server itself, beyond the target database"
    static let serverFunctionHint = "Ask a DBA to do it outside a sheet."
    static let replicationFunctionReason = "it manages replication, which reaches beyond the task's transaction and database"
    static let remoteFunctionReason = "it connects to another database from inside this one"
    static let remoteFunctionHint = "A sheet touches only its own target: write a separate sheet for the other database."
    static let advisoryLockReason = "a session-level advisory lock is held (or released) beyond the task's transaction"
    static let advisoryLockHint = "Use pg_advisory_xact_lock or pg_try_advisory_xact_lock, released when the task's transaction ends."
    static let snapshotReason = "it shares the task's snapshot with other sessions"
    static let snapshotHint = "Remove it."

    // Sluice's own objects.
    static let reservedReason = "objects whose names start with sluice_ belong to Sluice, which records in them what ran where; a sheet may read them but not change them"
    static let reservedHint = "Give your object a name that does not start with sluice_; to use the history, read it (SELECT … FROM sluice_migration_history)."
}
