#!/usr/bin/env bash
# The PostgreSQL rollout benchmark (not a test): starts a private PostgreSQL on 127.0.0.1 like
# scripts/test.sh, builds sluice-pg-bench in release mode, runs it, and stops the server.
#   ./scripts/pg-bench.sh [DATABASES] [ROUNDS]      (default 50 databases, 3 rounds)
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup-system.sh

. scripts/private-pg.sh
start_private_pg -c max_connections=200

swift build -c release --product sluice-pg-bench
SLUICE_BENCH_PG="$SLUICE_TEST_PG" .build/release/sluice-pg-bench "$@"
