import Foundation

/// Refusals decided by what kind of statement a sheet's statement is.
extension PostgresSheetPolicy {
    typealias Text = PostgresPolicyText

    /// The refusal of a statement for its kind alone (transaction control, settings, instance-wide
    /// objects, files and languages), or nil.
    static func statementFinding(_ node: PgNode, text: String) -> Finding? {
        guard let tag = node.tag else { return nil }
        if let finding = transactionFinding(node, tag: tag, text: text) ?? sessionFinding(node, tag: tag) {
            return finding
        }
        // Files and languages first: CREATE LANGUAGE reaches the parser as CREATE EXTENSION.
        return fileFinding(node, tag: tag, text: text) ?? instanceFinding(node, tag: tag)
    }

    // MARK: Transaction control

    private static func transactionFinding(_ node: PgNode, tag: String, text: String) -> Finding? {
        switch tag {
        case "TransactionStmt":
            let kind = node["kind"]?.string ?? ""
            switch kind {
            case "TRANS_STMT_BEGIN": return Finding("BEGIN", Text.transactionReason, Text.transactionHint)
            case "TRANS_STMT_START": return Finding("START TRANSACTION", Text.transactionReason, Text.transactionHint)
            case "TRANS_STMT_COMMIT":
                let word = leadingWords(text, 1).first == "END" ? "END" : "COMMIT"
                return Finding(word, Text.transactionReason, Text.transactionHint)
            case "TRANS_STMT_ROLLBACK":
                let word = leadingWords(text, 1).first == "ABORT" ? "ABORT" : "ROLLBACK"
                return Finding(word, Text.transactionReason, Text.transactionHint)
            case "TRANS_STMT_SAVEPOINT": return Finding("SAVEPOINT", Text.savepointReason, Text.savepointHint)
            case "TRANS_STMT_RELEASE": return Finding("RELEASE SAVEPOINT", Text.savepointReason, Text.savepointHint)
            case "TRANS_STMT_ROLLBACK_TO": return Finding("ROLLBACK TO SAVEPOINT", Text.savepointReason, Text.savepointHint)
            case "TRANS_STMT_PREPARE": return Finding("PREPARE TRANSACTION", Text.twoPhaseReason, Text.twoPhaseHint)
            case "TRANS_STMT_COMMIT_PREPARED": return Finding("COMMIT PREPARED", Text.twoPhaseReason, Text.twoPhaseHint)
            case "TRANS_STMT_ROLLBACK_PREPARED": return Finding("ROLLBACK PREPARED", Text.twoPhaseReason, Text.twoPhaseHint)
            default: return Finding("transaction control", Text.transactionReason, Text.transactionHint)
            }
        case "VariableSetStmt" where node["kind"]?.string == "VAR_SET_MULTI":
            // SET TRANSACTION … and SET SESSION CHARACTERISTICS AS TRANSACTION …
            let name = node["name"]?.string ?? "TRANSACTION"
            return Finding("SET \(name)", Text.transactionModeReason, Text.transactionModeHint)
        default:
            return nil
        }
    }

    // MARK: State that outlives the task

    private static func sessionFinding(_ node: PgNode, tag: String) -> Finding? {
        switch tag {
        case "VariableSetStmt":
            return settingFinding(node)
        case "DiscardStmt":
            let target = (node["target"]?.string ?? "DISCARD_ALL").replacingOccurrences(of: "DISCARD_", with: "")
            return Finding("DISCARD \(target)", Text.discardReason, Text.discardHint)
        case "LoadStmt": return Finding("LOAD", Text.loadReason, Text.loadHint)
        case "ListenStmt": return Finding("LISTEN", Text.listenReason, Text.listenHint)
        case "UnlistenStmt": return Finding("UNLISTEN", Text.listenReason, Text.listenHint)
        case "PrepareStmt": return Finding("PREPARE", Text.prepareReason, Text.prepareHint)
        case "ExecuteStmt": return Finding("EXECUTE", Text.executeReason, Text.executeHint)
        case "DeallocateStmt": return Finding("DEALLOCATE", Text.deallocateReason, Text.deallocateHint)
        case "DeclareCursorStmt" where (node["options"]?.int ?? 0) & cursorOptionHold != 0:
            return Finding("DECLARE … CURSOR WITH HOLD", Text.holdCursorReason, Text.holdCursorHint)
        default: return nil
        }
    }

    /// PostgreSQL's `CURSOR_OPT_HOLD` bit of a DECLARE's options.
    private static let cursorOptionHold = 0x20

    /// SET, SET SESSION, SET LOCAL and RESET. Only SET LOCAL of a setting other than the role
    /// is allowed.
    private static func settingFinding(_ node: PgNode) -> Finding? {
        let kind = node["kind"]?.string ?? ""
        let name = node["name"]?.string ?? ""
        let local = node["is_local"]?.bool == true
        let word = settingWords[name] ?? name
        let verb = kind == "VAR_RESET" ? "RESET" : local ? "SET LOCAL" : "SET"
        if name.hasPrefix("transaction_") {
            return Finding("\(verb) \(name)", Text.transactionModeReason, Text.transactionModeHint)
        }
        if name == "role" || name == "session_authorization" {
            return Finding("\(verb) \(word)", Text.roleReason, Text.roleHint)
        }
        if name.lowercased().hasPrefix("sluice.") {
            return Finding("\(verb) \(name)", Text.sluiceSettingReason, Text.sluiceSettingHint)
        }
        switch kind {
        case "VAR_RESET_ALL":
            return Finding("RESET ALL", Text.sessionSettingReason,
                           "Remove it; to change a setting for the rest of the task, use SET LOCAL name = value.")
        case "VAR_RESET":
            return Finding("RESET \(word)", Text.sessionSettingReason,
                           "Use SET LOCAL \(word) TO DEFAULT, which ends with the task's transaction.")
        default:
            guard !local else { return nil }
            return Finding("SET \(word)", Text.sessionSettingReason,
                           "Use SET LOCAL \(word) = …, which ends with the task's transaction.")
        }
    }

    /// What people write for settings the parser names differently.
    private static let settingWords: [String: String] = [
        "role": "ROLE", "session_authorization": "SESSION AUTHORIZATION", "timezone": "TIME ZONE",
        "xmloption": "XML OPTION", "client_encoding": "NAMES",
    ]

    // MARK: Instance-wide objects and other databases

    private static func instanceFinding(_ node: PgNode, tag: String) -> Finding? {
        if tag == "CreateRoleStmt" {
            let kind = (node["stmt_type"]?.string ?? "ROLESTMT_ROLE").replacingOccurrences(of: "ROLESTMT_", with: "")
            return Finding("CREATE \(kind)", Text.instanceReason, Text.instanceHint)
        }
        if let construct = instanceStatements[tag] {
            return Finding(construct, Text.instanceReason, Text.instanceHint)
        }
        switch tag {
        case "AlterSystemStmt": return Finding("ALTER SYSTEM", Text.alterSystemReason, Text.alterSystemHint)
        case "CheckPointStmt": return Finding("CHECKPOINT", Text.checkpointReason, Text.checkpointHint)
        case "CreateSubscriptionStmt", "AlterSubscriptionStmt", "DropSubscriptionStmt",
             "CreatePublicationStmt", "AlterPublicationStmt":
            return Finding(words(ofTag: tag), Text.replicationReason, Text.replicationHint)
        case "CreateEventTrigStmt", "AlterEventTrigStmt":
            return Finding(words(ofTag: tag), Text.eventTriggerReason, Text.eventTriggerHint)
        case "CreateFdwStmt", "AlterFdwStmt", "CreateForeignServerStmt", "AlterForeignServerStmt",
             "CreateUserMappingStmt", "AlterUserMappingStmt", "DropUserMappingStmt", "ImportForeignSchemaStmt":
            return Finding(words(ofTag: tag), Text.foreignReason, Text.foreignHint)
        case "CreateExtensionStmt", "AlterExtensionStmt", "AlterExtensionContentsStmt":
            guard let name = node["extname"]?.string, deniedExtensions.contains(name.lowercased()) else { return nil }
            let verb = tag == "CreateExtensionStmt" ? "CREATE" : "ALTER"
            return Finding("\(verb) EXTENSION \(name)", Text.extensionReason, Text.extensionHint)
        default:
            break
        }
        // Statements about an object of some type: DROP, RENAME, OWNER TO, COMMENT, GRANT…
        for field in objectTypeFields {
            guard let type = node[field]?.string else { continue }
            if instanceObjectTypes.contains(type) {
                return Finding(construct(ofTag: tag, node: node, type: type), Text.instanceReason, Text.instanceHint)
            }
            if let (reason, hint) = outsideObjectTypes[type] {
                return Finding(construct(ofTag: tag, node: node, type: type), reason, hint)
            }
        }
        return nil
    }

    /// Statements that act on databases, tablespaces and roles by their kind alone.
    private static let instanceStatements: [String: String] = [
        "CreatedbStmt": "CREATE DATABASE", "DropdbStmt": "DROP DATABASE", "AlterDatabaseStmt": "ALTER DATABASE",
        "AlterDatabaseSetStmt": "ALTER DATABASE … SET", "AlterDatabaseRefreshCollStmt": "ALTER DATABASE … REFRESH COLLATION VERSION",
        "CreateTableSpaceStmt": "CREATE TABLESPACE", "DropTableSpaceStmt": "DROP TABLESPACE",
        "AlterTableSpaceOptionsStmt": "ALTER TABLESPACE", "AlterRoleStmt": "ALTER ROLE",
        "AlterRoleSetStmt": "ALTER ROLE … SET", "DropRoleStmt": "DROP ROLE", "GrantRoleStmt": "GRANT role membership",
        "ReassignOwnedStmt": "REASSIGN OWNED", "DropOwnedStmt": "DROP OWNED",
        "AlterTableMoveAllStmt": "ALTER … ALL IN TABLESPACE",
    ]

    /// The fields in which statements about "an object of some type" name the type.
    private static let objectTypeFields: [StaticString] = ["removeType", "renameType", "objectType", "objtype"]

    /// Object types shared by the whole server.
    private static let instanceObjectTypes: Set<String> = ["OBJECT_DATABASE", "OBJECT_TABLESPACE", "OBJECT_ROLE"]

    /// Object types that reach outside the database, with the reason and hint for each.
    private static let outsideObjectTypes: [String: (String, String)] = [
        "OBJECT_SUBSCRIPTION": (Text.replicationReason, Text.replicationHint),
        "OBJECT_PUBLICATION": (Text.replicationReason, Text.replicationHint),
        "OBJECT_PUBLICATION_REL": (Text.replicationReason, Text.replicationHint),
        "OBJECT_EVENT_TRIGGER": (Text.eventTriggerReason, Text.eventTriggerHint),
        "OBJECT_FDW": (Text.foreignReason, Text.foreignHint),
        "OBJECT_FOREIGN_SERVER": (Text.foreignReason, Text.foreignHint),
        "OBJECT_USER_MAPPING": (Text.foreignReason, Text.foreignHint),
    ]

    // MARK: Files and programs

    private static func fileFinding(_ node: PgNode, tag: String, text: String) -> Finding? {
        switch tag {
        case "CopyStmt":
            let direction = node["is_from"]?.bool == true ? "FROM" : "TO"
            if node["is_program"]?.bool == true {
                return Finding("COPY … \(direction) PROGRAM", Text.copyProgramReason, Text.copyHint)
            }
            if node["filename"]?.string != nil {
                return Finding("COPY … \(direction) file", Text.copyFileReason, Text.copyHint)
            }
            let stream = direction == "FROM" ? "STDIN" : "STDOUT"
            return Finding("COPY … \(direction) \(stream)", Text.copyStreamReason, Text.copyHint)
        case "CreateFunctionStmt":
            guard let language = option("language", of: node["options"]), untrustedLanguages.contains(language.lowercased()) else { return nil }
            let kind = node["is_procedure"]?.bool == true ? "PROCEDURE" : "FUNCTION"
            return Finding("CREATE \(kind) … LANGUAGE \(language)", Text.untrustedLanguageReason, Text.untrustedLanguageHint)
        case "DoStmt":
            guard let language = option("language", of: node["args"]), untrustedLanguages.contains(language.lowercased()) else { return nil }
            return Finding("DO … LANGUAGE \(language)", Text.untrustedLanguageReason, Text.untrustedLanguageHint)
        case "CreatePLangStmt":
            return Finding("CREATE LANGUAGE", Text.createLanguageReason, Text.createLanguageHint)
        case "CreateExtensionStmt":
            // CREATE LANGUAGE name (without a handler) reaches the parser as CREATE EXTENSION.
            let words = leadingWords(text, 5)
            guard words.first == "CREATE", words.dropFirst().first(where: { !["OR", "REPLACE", "TRUSTED", "PROCEDURAL"].contains($0) }) == "LANGUAGE"
            else { return nil }
            return Finding("CREATE LANGUAGE", Text.createLanguageReason, Text.createLanguageHint)
        default:
            return nil
        }
    }

    /// The string argument of a `DefElem` named `name` in a list of options.
    private static func option(_ name: String, of options: PgNode?) -> String? {
        options?.list.first { $0["defname"]?.string == name }?["arg"]?.string
    }

    // MARK: Words

    /// The first `count` words of a statement, upper-cased (letters and underscores only).
    static func leadingWords(_ text: String, _ count: Int) -> [String] {
        var words: [String] = []
        var current = ""
        for character in text.prefix(200) {
            if character.isLetter || character == "_" {
                current.append(character)
            } else {
                if !current.isEmpty { words.append(current.uppercased()) }
                current = ""
                if words.count >= count || !character.isWhitespace { break }
            }
        }
        if !current.isEmpty, words.count < count { words.append(current.uppercased()) }
        return Array(words.prefix(count))
    }

    /// `CreateEventTrigStmt` → `CREATE EVENT TRIGGER`, from a table of what people write, else
    /// the tag's own words (`CreateConversionStmt` → `CREATE CONVERSION`).
    static func words(ofTag tag: String) -> String {
        if let words = tagWords[tag] { return words }
        var words = ""
        for character in tag.dropLast(tag.hasSuffix("Stmt") ? 4 : 0) {
            if character.isUppercase, !words.isEmpty { words.append(" ") }
            words.append(character)
        }
        return words.uppercased()
    }

    private static let tagWords: [String: String] = [
        "CreateSubscriptionStmt": "CREATE SUBSCRIPTION", "AlterSubscriptionStmt": "ALTER SUBSCRIPTION",
        "DropSubscriptionStmt": "DROP SUBSCRIPTION", "CreatePublicationStmt": "CREATE PUBLICATION",
        "AlterPublicationStmt": "ALTER PUBLICATION", "CreateEventTrigStmt": "CREATE EVENT TRIGGER",
        "AlterEventTrigStmt": "ALTER EVENT TRIGGER", "CreateFdwStmt": "CREATE FOREIGN DATA WRAPPER",
        "AlterFdwStmt": "ALTER FOREIGN DATA WRAPPER", "CreateForeignServerStmt": "CREATE SERVER",
        "AlterForeignServerStmt": "ALTER SERVER", "CreateUserMappingStmt": "CREATE USER MAPPING",
        "AlterUserMappingStmt": "ALTER USER MAPPING", "DropUserMappingStmt": "DROP USER MAPPING",
        "ImportForeignSchemaStmt": "IMPORT FOREIGN SCHEMA",
    ]

    /// What a statement about an object of type `type` does to it: `DROP DATABASE`,
    /// `ALTER ROLE … RENAME`, `COMMENT ON TABLESPACE`…
    static func construct(ofTag tag: String, node: PgNode, type: String) -> String {
        let object = objectWords(type)
        return switch tag {
        case "DropStmt": "DROP \(object)"
        case "RenameStmt": "ALTER \(object) … RENAME"
        case "AlterOwnerStmt": "ALTER \(object) … OWNER TO"
        case "AlterObjectSchemaStmt": "ALTER \(object) … SET SCHEMA"
        case "CommentStmt": "COMMENT ON \(object)"
        case "SecLabelStmt": "SECURITY LABEL ON \(object)"
        case "GrantStmt": node["is_grant"]?.bool == true ? "GRANT … ON \(object)" : "REVOKE … ON \(object)"
        default: "ALTER \(object)"
        }
    }

    /// `OBJECT_FOREIGN_SERVER` → `SERVER`, `OBJECT_MATVIEW` → `MATERIALIZED VIEW`.
    static func objectWords(_ type: String) -> String {
        switch type {
        case "OBJECT_FDW": return "FOREIGN DATA WRAPPER"
        case "OBJECT_FOREIGN_SERVER": return "SERVER"
        case "OBJECT_MATVIEW": return "MATERIALIZED VIEW"
        case "OBJECT_TABCONSTRAINT", "OBJECT_DOMCONSTRAINT": return "CONSTRAINT"
        case "OBJECT_PUBLICATION_REL": return "PUBLICATION"
        default:
            return type.replacingOccurrences(of: "OBJECT_", with: "").replacingOccurrences(of: "_", with: " ")
        }
    }
}
