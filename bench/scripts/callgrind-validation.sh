#!/usr/bin/env bash
# Instructions per validated POST (callgrind counts instructions: stable on a noisy machine).
# Compiles src/ and bench/scripts/validation-inject.ts with tsc (decorator metadata; ts-node under
# valgrind would be far too slow), runs it under callgrind with N and M requests and reports
# (Ir(N) - Ir(M)) / (N - M), so startup and the first M requests' JIT warm-up cancel; with the
# validation fast path on and off (LOKSTRA_VALIDATION_FAST_PATH=0: class-validator + plainToInstance,
# the behaviour before issue 13).
#   bash bench/scripts/callgrind-validation.sh [repo-root] [N] [M]
set -euo pipefail
ROOT="${1:-$(cd "$(dirname "$0")/../.." && pwd)}"
N="${2:-600}"
M="${3:-200}"
cd "$ROOT"
OUT="$(mktemp -d)"
cat > "$OUT/tsconfig.json" <<JSON
{ "extends": "$ROOT/tsconfig.json", "compilerOptions": { "outDir": "$OUT/js", "rootDir": "$ROOT", "noEmit": false,
  "noEmitOnError": false, "declaration": false, "sourceMap": false },
  "include": ["$ROOT/src", "$ROOT/bench/scripts/validation-inject.ts"], "exclude": ["$ROOT/node_modules"] }
JSON
npx tsc -p "$OUT/tsconfig.json" >/dev/null || true
cp src/config/lokstra.schema.json "$OUT/js/src/config/"
ln -s "$ROOT/node_modules" "$OUT/js/node_modules"
ir() { # <fast-path flag> <requests>
  LOKSTRA_VALIDATION_FAST_PATH="$1" valgrind --tool=callgrind --callgrind-out-file=/dev/null \
    node "$OUT/js/bench/scripts/validation-inject.js" "$2" 2>&1 >/dev/null | grep -oE 'Collected : [0-9]+' | grep -oE '[0-9]+'
}
for flag in 0 1; do
  big=$(ir "$flag" "$N"); small=$(ir "$flag" "$M")
  echo "LOKSTRA_VALIDATION_FAST_PATH=$flag: $(( (big - small) / (N - M) )) instructions/request (Ir $big - $small over $((N - M)) requests)"
done
rm -rf "$OUT"
