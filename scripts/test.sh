#!/usr/bin/env bash
# Runs every test (README, second command): installs what is missing, starts a private
# PostgreSQL on 127.0.0.1, builds, runs `swift test`, and stops the server even on failure.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup-system.sh

. scripts/private-pg.sh
start_private_pg

swift build --build-tests
swift test --skip-build "$@"
