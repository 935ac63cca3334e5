#ifndef SLUICE_CPGQUERY_SHIM_H
#define SLUICE_CPGQUERY_SHIM_H
#include <pg_query.h>

/*
 * libpg_query's raw parser, which hands back PostgreSQL's own parse tree (a List of RawStmt
 * nodes in the caller's memory context) instead of printing it as JSON or protobuf. These
 * functions are exported by libpg_query and declared in its <pg_query/pg_query_internal.h>,
 * which cannot be included here: it needs PostgreSQL's server headers, which libpg-query-dev
 * does not ship. The result struct has the same three pointers as the library's
 * PgQueryInternalParsetreeAndError.
 */
typedef struct {
    void *tree;
    char *stderr_buffer;
    PgQueryError *error;
} SluicePgRawParseResult;

SluicePgRawParseResult pg_query_raw_parse(const char *input);
void *pg_query_enter_memory_context(void);
void pg_query_exit_memory_context(void *context);
char *pg_query_nodes_to_json(const void *obj);
void pg_query_free_error(PgQueryError *error);
#endif
