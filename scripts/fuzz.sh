#!/usr/bin/env bash
# Fuzzes both statement splitters with libFuzzer (not part of the test suite).
#   scripts/fuzz.sh [SECONDS_PER_DIALECT] ["sqlite postgres"]      default 180, both
# Crashes are written to the current directory as crash-*; Fuzz/regressions keeps fixed ones.
# Builds Fuzz/SplitterFuzzer.swift with the SluiceSQL sources (-sanitize=fuzzer,address), seeds
# a corpus per dialect from the test fixtures, and runs each dialect for the given time.
# Set SLUICE_FUZZ_CLASSIFY=1 to classify every split too.
set -euo pipefail
cd "$(dirname "$0")/.."
SECONDS_PER_DIALECT=${1:-180}
DIALECTS=${2:-"sqlite postgres"}
OUT=.build-fuzz
mkdir -p "$OUT"

# GRDB's SQLite module map, for `import GRDBSQLite` in the splitter sources.
GRDB_SQLITE=$(find .build -type d -path '*GRDB.swift/Sources/GRDBSQLite' 2>/dev/null | head -1)
if [ -z "$GRDB_SQLITE" ]; then swift package resolve >/dev/null; GRDB_SQLITE=$(find .build -type d -path '*GRDB.swift/Sources/GRDBSQLite' | head -1); fi

# Swift's crash backtracer would keep the pipe below open after a crash: libFuzzer reports it.
export SWIFT_BACKTRACE=enable=no
swiftc -sanitize=fuzzer,address -parse-as-library -O -g \
  -module-name SluiceFuzz \
  -I Sources/CPgQuery -Xcc -fmodule-map-file=Sources/CPgQuery/module.modulemap \
  -Xcc -fmodule-map-file="$GRDB_SQLITE/module.modulemap" -I "$GRDB_SQLITE" \
  $(find Sources/SluiceSQL -name '*.swift') Fuzz/SplitterFuzzer.swift \
  -lpg_query -lsqlite3 -o "$OUT/splitter-fuzzer"

# Seeds: the fixture scripts, prefixed with the dialect byte (0 SQLite, 1 PostgreSQL).
for dialect in $DIALECTS; do
  corpus="$OUT/corpus-$dialect"; mkdir -p "$corpus"
  python3 - "$dialect" "$corpus" <<'PY'
import re, sys, pathlib
dialect, corpus = sys.argv[1], pathlib.Path(sys.argv[2])
prefix = b"\x00" if dialect == "sqlite" else b"\x01"
name = "SQLiteScripts.swift" if dialect == "sqlite" else "PostgreSQLScripts.swift"
text = pathlib.Path("Tests/SluiceSQLTests/Fixtures", name).read_text()
bodies = re.findall(r'#"""\n(.*?)\n"""#', text, re.S)
if dialect == "postgres":
    # The node corpus too: one statement per entry, single-line #"…"# or multi-line #"""…"""#.
    nodes = pathlib.Path("Tests/SluiceSQLTests/Fixtures/PostgresNodeCorpus.swift").read_text()
    bodies += re.findall(r'#"""\n(.*?)\n\s*"""#', nodes, re.S)
    bodies += re.findall(r'^\s*#+"(?!"")(.*?)"#+,\s*$', nodes, re.M)
for i, body in enumerate(bodies):
    (corpus / f"seed{i}").write_bytes(prefix + body.encode())
PY
  echo "fuzzing the $dialect splitter for $SECONDS_PER_DIALECT s" >&2
  SLUICE_FUZZ_DIALECT=$dialect ASAN_OPTIONS=detect_leaks=0 "$OUT/splitter-fuzzer" "$corpus" -max_total_time="$SECONDS_PER_DIALECT" -max_len=4096 \
    -timeout=10 -print_final_stats=1 2>&1 | tail -25
done
