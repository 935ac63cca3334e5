#!/usr/bin/env bash
# The PostgreSQL rollout benchmark (not a test): starts a private PostgreSQL on 127.0.0.1 like
# scripts/test.sh, builds sluice-pg-bench in release mode, runs it, and stops the server.
#   ./scripts/pg-bench.sh [DATABASES] [ROUNDS]      (default 50 databases, 3 rounds)
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup-system.sh

PG_BIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
PG_DIR=$(mktemp -d /tmp/sluice-pg-bench.XXXXXX)
chown postgres "$PG_DIR" 2>/dev/null || true
PG_PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')
as_postgres() { if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
stop_pg() {
  as_postgres "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$PG_DIR"
}
trap stop_pg EXIT
as_postgres "$PG_BIN/initdb" -D "$PG_DIR/data" -A trust -U postgres >/dev/null
as_postgres "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -w -l "$PG_DIR/data/log" \
  -o "-p $PG_PORT -k $PG_DIR -c listen_addresses=127.0.0.1 -c max_connections=200" start >/dev/null

swift build -c release --product sluice-pg-bench
SLUICE_BENCH_PG="host=127.0.0.1 port=$PG_PORT user=postgres dbname=postgres" .build/release/sluice-pg-bench "$@"
