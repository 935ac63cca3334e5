#!/usr/bin/env bash
# Builds Sluice and opens it on a fresh demo workspace (README, first command).
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup-system.sh
swift build -c release --product sluice
BIN="$(swift build -c release --show-bin-path)/sluice"
HOME_DIR="${SLUICE_DEMO_HOME:-${XDG_DATA_HOME:-$HOME/.local/share}/sluice-demo}"
"$BIN" --home "$HOME_DIR" demo --reset
export SLUICE_HOME="$HOME_DIR"
echo
echo "Signed in as dba@example.com for this shell's next commands:"
echo "  export SLUICE_HOME=$HOME_DIR SLUICE_USER=dba@example.com SLUICE_PASSWORD=sluice-demo-pw"
echo "  alias sluice=$BIN"
if [ -t 1 ] && "$BIN" tui --help >/dev/null 2>&1 && "$BIN" --home "$HOME_DIR" tui 2>/dev/null; then
  exit 0
fi
SLUICE_USER=dba@example.com SLUICE_PASSWORD=sluice-demo-pw "$BIN" issue show 2
