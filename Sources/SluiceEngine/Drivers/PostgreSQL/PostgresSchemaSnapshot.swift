import Foundation

/// A normalised dump of a PostgreSQL database's schema from the catalogs: extensions, schemas,
/// enums, domains, composite types, sequences, tables with columns and defaults, constraints,
/// indexes, views, functions and triggers. One line per object, ordered by kind then name, with
/// whitespace collapsed, so the same schema always dumps the same text and `SchemaSnapshot.diff`
/// compares it. Names are schema-qualified (the dump runs with `search_path = pg_catalog`).
/// Objects that belong to extensions, and Sluice's own `public.sluice_*` tables and functions, are left out.
enum PostgresSchemaSnapshot {
    /// Session settings that change how the catalogs print (names, timestamps, numbers), fixed
    /// for the dump and restored after it, in the same round trip.
    static let settings = [("search_path", "pg_catalog"), ("TimeZone", "UTC"), ("DateStyle", "ISO, MDY"),
                           ("IntervalStyle", "postgres"), ("extra_float_digits", "1")]

    /// The name of the dump query prepared in a session: a task dumps twice on one connection,
    /// and the second dump then skips parsing and planning the query.
    static let statementName = "sluice_schema_snapshot"

    /// The statements of one dump, to send alone or after others in the same round trip; their
    /// results, the last `resultCount` of the batch, go to `text(from:)`.
    struct Batch {
        var sql: String
        var resultCount: Int
        var prepares = false
    }

    /// Settings fixed, the query (prepared in the session on first use, unless `prepare` is
    /// false), settings restored. A session that holds the prepared query is marked dirty, so the
    /// pool resets it before reuse.
    static func batch(_ conn: PostgresConnection, prepare: Bool = true) -> Batch {
        func saved(_ name: String) -> String { "sluice.saved_\(name.lowercased())" }
        let save = settings.map { "set_config('\(saved($0.0))', current_setting('\($0.0)'), false)" }.joined(separator: ", ")
        let fix = settings.map { "set_config('\($0.0)', '\($0.1)', false)" }.joined(separator: ", ")
        let restore = settings.map { "set_config('\($0.0)', current_setting('\(saved($0.0))'), false)" }.joined(separator: ", ")
        guard prepare else { return Batch(sql: "SELECT \(save); SELECT \(fix);\n\(query);\nSELECT \(restore)", resultCount: 4) }
        if conn.snapshotPrepared {
            return Batch(sql: "SELECT \(save); SELECT \(fix); EXECUTE \(statementName); SELECT \(restore)", resultCount: 4)
        }
        conn.dirty = true
        return Batch(sql: "SELECT \(save); SELECT \(fix);\nPREPARE \(statementName) AS \(query);\nEXECUTE \(statementName); SELECT \(restore)",
                     resultCount: 5, prepares: true)
    }

    /// Whether a sheet may drop the session's prepared statements (`DEALLOCATE`, `DISCARD`, even
    /// inside a function body): its "after" dump then sends the query itself.
    static func mayDeallocate(_ sql: String) -> Bool {
        sql.range(of: "deallocate", options: .caseInsensitive) != nil || sql.range(of: "discard", options: .caseInsensitive) != nil
    }

    static func dump(_ conn: PostgresConnection, prepare: Bool = true) throws -> String {
        let b = batch(conn, prepare: prepare)
        return try text(from: conn.executeBatch(b.sql), of: b, conn)
    }

    /// The normalised dump from the results of a batch that ended with `batch`'s statements.
    static func text(from results: [PostgresResult], of batch: Batch, _ conn: PostgresConnection) throws -> String {
        guard results.count >= batch.resultCount else { throw PostgresError(message: "the schema dump returned \(results.count) results") }
        if batch.prepares { conn.snapshotPrepared = true }
        let lines = results[results.count - 2].rows.compactMap { row -> (Int, String, String)? in
            guard let kind = row[0].flatMap({ Int($0) }), let name = row[1], let def = row[2] else { return nil }
            var text = SchemaSnapshot.normalise(def)
            while text.hasSuffix(";") { text.removeLast() }
            return (kind, name, text + ";")
        }
        return lines.sorted { a, b in
            if a.0 != b.0 { return a.0 < b.0 }
            if a.1 != b.1 { return Array(a.1.utf8).lexicographicallyPrecedes(Array(b.1.utf8)) }
            return Array(a.2.utf8).lexicographicallyPrecedes(Array(b.2.utf8))
        }.map { $0.2 + "\n" }.joined()
    }

    static let query = """
        WITH ns AS (
            SELECT n.oid, n.nspname FROM pg_namespace n
            WHERE n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\\_toast%'
              AND n.nspname NOT LIKE 'pg\\_temp\\_%'
              AND NOT EXISTS (SELECT 1 FROM pg_depend x WHERE x.classid = 'pg_namespace'::regclass AND x.objid = n.oid AND x.deptype = 'e')
        ), rel AS (
            SELECT c.oid, c.relname, c.relkind, c.relpersistence, c.relispartition, c.relpartbound, c.oid::regclass::text AS qname
            FROM pg_class c JOIN ns ON ns.oid = c.relnamespace
            WHERE NOT EXISTS (SELECT 1 FROM pg_depend x WHERE x.classid = 'pg_class'::regclass AND x.objid = c.oid AND x.deptype = 'e')
              AND NOT (ns.nspname = 'public' AND c.relname LIKE 'sluice\\_%')
        )
        SELECT 0 AS kind, e.extname::text AS name,
               'CREATE EXTENSION ' || quote_ident(e.extname) || ' WITH SCHEMA ' || quote_ident(n.nspname) || ' VERSION ' || quote_literal(e.extversion)
        FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace
        UNION ALL
        SELECT 1, nspname::text, 'CREATE SCHEMA ' || quote_ident(nspname) FROM ns
        UNION ALL
        SELECT 2, t.oid::regtype::text, CASE t.typtype
            WHEN 'e' THEN 'CREATE TYPE ' || t.oid::regtype::text || ' AS ENUM (' || COALESCE((SELECT string_agg(quote_literal(v.enumlabel), ', ' ORDER BY v.enumsortorder) FROM pg_enum v WHERE v.enumtypid = t.oid), '') || ')'
            WHEN 'd' THEN 'CREATE DOMAIN ' || t.oid::regtype::text || ' AS ' || format_type(t.typbasetype, t.typtypmod)
                || CASE WHEN t.typnotnull THEN ' NOT NULL' ELSE '' END || COALESCE(' DEFAULT ' || t.typdefault, '')
                || COALESCE((SELECT string_agg(' CONSTRAINT ' || quote_ident(k.conname) || ' ' || pg_get_constraintdef(k.oid), '' ORDER BY k.conname) FROM pg_constraint k WHERE k.contypid = t.oid), '')
            ELSE 'CREATE TYPE ' || t.oid::regtype::text || ' AS (' || COALESCE((SELECT string_agg(quote_ident(a.attname) || ' ' || format_type(a.atttypid, a.atttypmod), ', ' ORDER BY a.attnum) FROM pg_attribute a WHERE a.attrelid = t.typrelid AND a.attnum > 0 AND NOT a.attisdropped), '') || ')'
            END
        FROM pg_type t JOIN ns ON ns.oid = t.typnamespace
        WHERE (t.typtype IN ('e', 'd') OR (t.typtype = 'c' AND EXISTS (SELECT 1 FROM pg_class c WHERE c.oid = t.typrelid AND c.relkind = 'c')))
          AND NOT EXISTS (SELECT 1 FROM pg_depend x WHERE x.classid = 'pg_type'::regclass AND x.objid = t.oid AND x.deptype = 'e')
        UNION ALL
        SELECT 3, r.qname, 'CREATE SEQUENCE ' || r.qname || ' AS ' || format_type(s.seqtypid, NULL) || ' INCREMENT BY ' || s.seqincrement
            || ' MINVALUE ' || s.seqmin || ' MAXVALUE ' || s.seqmax || ' START WITH ' || s.seqstart || ' CACHE ' || s.seqcache
            || CASE WHEN s.seqcycle THEN ' CYCLE' ELSE '' END
            || COALESCE((SELECT ' OWNED BY ' || d.refobjid::regclass::text || '.' || quote_ident(a.attname) FROM pg_depend d
                         JOIN pg_attribute a ON a.attrelid = d.refobjid AND a.attnum = d.refobjsubid
                         WHERE d.classid = 'pg_class'::regclass AND d.objid = r.oid AND d.refclassid = 'pg_class'::regclass AND d.deptype = 'a' LIMIT 1), '')
        FROM rel r JOIN pg_sequence s ON s.seqrelid = r.oid
        WHERE NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_class'::regclass AND d.objid = r.oid AND d.deptype = 'i')
        UNION ALL
        SELECT 4, r.qname, 'CREATE ' || CASE WHEN r.relpersistence = 'u' THEN 'UNLOGGED ' ELSE '' END || 'TABLE ' || r.qname
            || CASE WHEN r.relispartition THEN ' PARTITION OF ' || COALESCE((SELECT i.inhparent::regclass::text FROM pg_inherits i WHERE i.inhrelid = r.oid LIMIT 1), '?')
                                               || ' ' || COALESCE(pg_get_expr(r.relpartbound, r.oid), '')
               ELSE ' (' || COALESCE((
                SELECT string_agg(quote_ident(a.attname) || ' ' || format_type(a.atttypid, a.atttypmod)
                    || CASE WHEN a.attcollation <> 0 AND a.attcollation <> (SELECT ty.typcollation FROM pg_type ty WHERE ty.oid = a.atttypid)
                            THEN ' COLLATE ' || (SELECT quote_ident(cn.nspname) || '.' || quote_ident(co.collname) FROM pg_collation co JOIN pg_namespace cn ON cn.oid = co.collnamespace WHERE co.oid = a.attcollation)
                            ELSE '' END
                    || CASE a.attidentity WHEN 'a' THEN ' GENERATED ALWAYS AS IDENTITY' WHEN 'd' THEN ' GENERATED BY DEFAULT AS IDENTITY' ELSE '' END
                    || CASE WHEN a.attgenerated = 's' THEN ' GENERATED ALWAYS AS (' || pg_get_expr(ad.adbin, ad.adrelid) || ') STORED'
                            WHEN ad.adbin IS NOT NULL THEN ' DEFAULT ' || pg_get_expr(ad.adbin, ad.adrelid) ELSE '' END
                    || CASE WHEN a.attnotnull THEN ' NOT NULL' ELSE '' END, ', ' ORDER BY a.attnum)
                FROM pg_attribute a LEFT JOIN pg_attrdef ad ON ad.adrelid = a.attrelid AND ad.adnum = a.attnum
                WHERE a.attrelid = r.oid AND a.attnum > 0 AND NOT a.attisdropped), '') || ')' END
            || CASE WHEN r.relkind = 'p' THEN ' PARTITION BY ' || pg_get_partkeydef(r.oid) ELSE '' END
        FROM rel r WHERE r.relkind IN ('r', 'p')
        UNION ALL
        SELECT 5, r.qname || ' ' || quote_ident(k.conname), 'ALTER TABLE ' || r.qname || ' ADD CONSTRAINT ' || quote_ident(k.conname) || ' ' || pg_get_constraintdef(k.oid)
        FROM pg_constraint k JOIN rel r ON r.oid = k.conrelid WHERE k.contype IN ('p', 'u', 'f', 'c', 'x')
        UNION ALL
        SELECT 6, ir.qname, pg_get_indexdef(i.indexrelid) || CASE WHEN NOT i.indisvalid THEN ' /* INVALID */' ELSE '' END
        FROM pg_index i JOIN rel r ON r.oid = i.indrelid JOIN rel ir ON ir.oid = i.indexrelid
        WHERE NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = i.indexrelid AND k.conrelid = i.indrelid AND k.contype IN ('p', 'u', 'x'))
        UNION ALL
        SELECT 7, r.qname, CASE r.relkind WHEN 'v' THEN 'CREATE VIEW ' ELSE 'CREATE MATERIALIZED VIEW ' END || r.qname || ' AS ' || pg_get_viewdef(r.oid, true)
        FROM rel r WHERE r.relkind IN ('v', 'm')
        UNION ALL
        SELECT 8, p.oid::regprocedure::text, CASE WHEN p.prokind = 'a' THEN 'CREATE AGGREGATE ' || p.oid::regprocedure::text ELSE pg_get_functiondef(p.oid) END
        FROM pg_proc p JOIN ns ON ns.oid = p.pronamespace
        WHERE NOT EXISTS (SELECT 1 FROM pg_depend x WHERE x.classid = 'pg_proc'::regclass AND x.objid = p.oid AND x.deptype = 'e')
          AND NOT (ns.nspname = 'public' AND p.proname LIKE 'sluice\\_%')
        UNION ALL
        SELECT 9, r.qname || ' ' || quote_ident(t.tgname), pg_get_triggerdef(t.oid, true)
        FROM pg_trigger t JOIN rel r ON r.oid = t.tgrelid WHERE NOT t.tgisinternal
        """
}
