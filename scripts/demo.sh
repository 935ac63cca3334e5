#!/usr/bin/env bash
# Builds Sluice and opens it on a fresh demo workspace, signed in as its DBA (README, first block).
# The workspace goes to $SLUICE_HOME when set (the README exports it first), else
# ~/.local/share/sluice-demo. `sluice demo --reset` only ever replaces a workspace `sluice demo`
# made: pointed at any other, this stops with the reason and changes nothing.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup-system.sh
swift build -c release --product sluice
BIN_DIR="$(swift build -c release --show-bin-path)"
BIN="$BIN_DIR/sluice"
HOME_DIR="${SLUICE_HOME:-$HOME/.local/share/sluice-demo}"
MADE="$("$BIN" --home "$HOME_DIR" demo --reset --json)"
PASSWORD="$(printf '%s\n' "$MADE" | sed -n 's/.*"password" *: *"\([^"]*\)".*/\1/p')"
echo "Demo workspace ready at $HOME_DIR: members admin@, dba@, owner@ and dev@example.com."
echo "For this shell's next commands:"
echo "  export PATH=\"$BIN_DIR:\$PATH\" SLUICE_HOME=$HOME_DIR"
echo "  sluice login dba@example.com      # password: $PASSWORD (every demo member has it)"
if [ -t 1 ] && [ -t 0 ]; then
  # The TUI opens signed in as the demo's DBA; its sign-in dialog names the members otherwise.
  SLUICE_USER=dba@example.com SLUICE_PASSWORD="$PASSWORD" "$BIN" --home "$HOME_DIR" tui && exit 0
fi
SLUICE_USER=dba@example.com SLUICE_PASSWORD="$PASSWORD" "$BIN" --home "$HOME_DIR" issue show 2
