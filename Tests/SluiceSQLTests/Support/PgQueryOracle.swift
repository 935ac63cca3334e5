import CPgQuery
import Foundation
@testable import SluiceSQL

/// libpg_query asked directly (PostgreSQL 15's parser): the authority for PostgreSQL splitting.
///
/// libpg_query (Debian 15-4.0) is safe to call from several threads at once (see
/// `LibPgQueryConcurrencyTests`), so the parallel tests call it freely.
enum PgQueryOracle {
    /// How many statements PostgreSQL's parser finds in `sql`; throws on a syntax error.
    static func statementCount(parsing sql: String) throws -> Int {
        let json: String = try {
            let result = pg_query_parse(sql)
            defer { pg_query_free_parse_result(result) }
            if let error = result.error {
                throw OracleError(description: "parse error: \(String(cString: error.pointee.message)) in \(sql.debugDescription)")
            }
            guard let tree = result.parse_tree else { throw OracleError(description: "no parse tree") }
            return String(cString: tree)
        }()
        let object = try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any]
        return (object?["stmts"] as? [Any])?.count ?? 0
    }

    /// `pg_query_split_with_parser`: statement locations and lengths by PostgreSQL's grammar.
    static func splitWithParser(_ sql: String) throws -> [Range<Int>] {
        try split(sql, pg_query_split_with_parser)
    }

    /// `pg_query_split_with_scanner`. Only for valid input: this libpg_query crashes on a
    /// scanner error.
    static func splitWithScanner(_ sql: String) throws -> [Range<Int>] {
        try split(sql, pg_query_split_with_scanner)
    }

    private static func split(
        _ sql: String, _ function: (UnsafePointer<CChar>?) -> PgQuerySplitResult
    ) throws -> [Range<Int>] {
        try {
            let result = sql.withCString { function($0) }
            defer { pg_query_free_split_result(result) }
            if let error = result.error {
                throw OracleError(description: "split error: \(String(cString: error.pointee.message))")
            }
            return (0..<Int(result.n_stmts)).compactMap { index in
                guard let statement = result.stmts?[index]?.pointee else { return nil }
                let start = Int(statement.stmt_location)
                return start..<(start + Int(statement.stmt_len))
            }
        }()
    }
}
