#!/usr/bin/env bash
# Consumer tests: build and pack lokstra, install the tarball into fresh projects (from
# test/consumer/fixtures/) with `npm install --engine-strict`, then:
#   esm, cjs  compile with tsc and run with node;
#   jest      run the user's Jest (plain `ts-jest` preset) over test/*.spec.ts;
#   templates `lokstra new` from the tarball (minimal ESM, api CommonJS; CONSUMER_TEMPLATES for others):
#             install, typecheck, npm test, routes/check, npm start, lokstra dev (test/consumer/templates.mjs).
# Consumer cases that need a real user's setup go in test/consumer/fixtures/jest/test/<case>.spec.ts
# (see the README there); they run here with no change to this script.
#
#   npm run test:consumers
#
# The projects are created OUTSIDE the repository (in a mktemp dir) so that neither Node nor
# TypeScript can fall back to the repo's own node_modules: a dependency missing from lokstra's
# package.json, or a file missing from the tarball, fails here as it would for a real user.
# Set LOKSTRA_CONSUMER_TMP=<dir> to use a given directory instead, KEEP_CONSUMER_TMP=1 to keep it,
# CONSUMER_KINDS=esm (or cjs, jest) to run only some projects.
# The fixtures declare reflect-metadata, class-validator and class-transformer themselves: they are
# lokstra's peer dependencies, as a user's README install line installs them.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
FIXTURES="$ROOT/test/consumer/fixtures"
read -r -a KINDS <<<"${CONSUMER_KINDS:-esm cjs jest templates}"

log() { printf '\n==> %s\n' "$*"; }
run() { printf '+ %s\n' "$*"; "$@"; }
fail() { printf '\nconsumer tests: FAIL: %s\n' "$*" >&2; exit 1; }

if [[ -n "${LOKSTRA_CONSUMER_TMP:-}" ]]; then
  WORK="$LOKSTRA_CONSUMER_TMP"
  rm -rf "$WORK"
  mkdir -p "$WORK"
else
  WORK="$(mktemp -d "${TMPDIR:-/tmp}/lokstra-consumers.XXXXXX")"
fi
status=1
cleanup() {
  if [[ $status -eq 0 && "${KEEP_CONSUMER_TMP:-0}" != 1 && -z "${LOKSTRA_CONSUMER_TMP:-}" ]]; then
    rm -rf "$WORK"
  else
    printf 'consumer tests: work directory kept at %s\n' "$WORK" >&2
  fi
}
trap cleanup EXIT

log "Building lokstra ($ROOT)"
cd "$ROOT"
run npm run build --silent

log "Packing lokstra into $WORK/pack"
mkdir -p "$WORK/pack"
# The build just ran, so skip the prepack hook (which would rebuild).
PACK_JSON="$(npm pack --ignore-scripts --json --pack-destination "$WORK/pack")"
TARBALL="$WORK/pack/$(printf '%s' "$PACK_JSON" | node -e 'let s="";process.stdin.on("data",(d)=>(s+=d)).on("end",()=>process.stdout.write(JSON.parse(s)[0].filename))')"
[[ -f "$TARBALL" ]] || fail "npm pack did not produce $TARBALL"
echo "tarball: $TARBALL ($(wc -c <"$TARBALL") bytes)"

log "Checking tarball contents"
CONTENTS="$(tar -tzf "$TARBALL")"
for f in package/package.json package/dist/cjs/index.js package/dist/cjs/index.d.ts \
         package/dist/esm/index.mjs package/dist/esm/index.d.mts package/README.md \
         package/dist/cjs/testing/index.js package/dist/esm/testing.mjs package/dist/esm/testing.d.mts \
         package/dist/cjs/cli/main.js package/templates/common/_gitignore package/templates/minimal/lokstra.config.yaml; do
  grep -qxF "$f" <<<"$CONTENTS" || fail "tarball is missing $f"
  echo "  has $f"
done
# The README links to docs/*.md; every linked page must be in the tarball.
while read -r link; do
  grep -qxF "package/$link" <<<"$CONTENTS" || fail "README links to $link, which the tarball does not ship"
done < <(grep -oE '\]\(\.?/?docs/[^)#]+' README.md | sed -E 's/^\]\(\.?\/?//' | sort -u)
echo "  has every docs/ page the README links to ($(grep -c '^package/docs/.*\.md$' <<<"$CONTENTS") docs pages)"
if grep -qE '^package/(src|test|samples|scripts|bench)/' <<<"$CONTENTS"; then
  fail "tarball contains files outside dist/: $(grep -E '^package/(src|test|samples|scripts|bench)/' <<<"$CONTENTS" | head -5 | tr '\n' ' ')"
fi
echo "  $(wc -l <<<"$CONTENTS") files, nothing from src/ test/ samples/ scripts/ bench/"

for kind in "${KINDS[@]}"; do
  dir="$WORK/$kind"
  if [[ "$kind" == templates ]]; then
    log "[templates] lokstra new from the tarball"
    run node "$ROOT/test/consumer/templates.mjs" "$TARBALL" "$dir" || fail "[templates] failed"
    continue
  fi
  log "[$kind] Creating project in $dir"
  mkdir -p "$dir"
  (cd "$FIXTURES/$kind" && tar --exclude=node_modules --exclude=dist --exclude=package-lock.json -cf - .) | (cd "$dir" && tar -xf -)
  cd "$dir"

  # --engine-strict: every installed package (lokstra's dependencies, its peers, the toolchain) must
  # accept this Node (CI runs Node 20, lokstra's engines floor is 20.19).
  log "[$kind] Installing the tarball (node $(node --version), --engine-strict)"
  run npm install "$TARBALL" --engine-strict --no-audit --no-fund --prefer-offline --loglevel=error

  ts_version="$(node -p 'require("typescript/package.json").version')"
  echo "typescript $ts_version"
  [[ "$ts_version" == 5.9.* ]] || fail "[$kind] expected TypeScript 5.9.x, got $ts_version"

  if [[ "$kind" == jest ]]; then
    log "[$kind] Running the user's Jest (preset ts-jest)"
    run npx --no-install jest --ci || fail "[$kind] jest failed"
    cd "$ROOT"
    continue
  fi

  log "[$kind] Compiling with tsc"
  run npx --no-install tsc -p tsconfig.json --explainFiles >"$dir/tsc-explain.txt" ||
    { npx --no-install tsc -p tsconfig.json --noEmit >&2 || true; fail "[$kind] tsc failed"; }
  case "$kind" in
    esm) want_types='node_modules/lokstra/dist/esm/index.d.mts' ;;
    cjs) want_types='node_modules/lokstra/dist/cjs/index.d.ts' ;;
  esac
  grep -qF "$want_types" "$dir/tsc-explain.txt" || fail "[$kind] tsc did not resolve lokstra's types to $want_types"
  echo "types resolved to $want_types"

  log "[$kind] Running node dist/main.js"
  run node dist/main.js || fail "[$kind] the compiled consumer failed"
  cd "$ROOT"
done

status=0
log "consumer tests passed (${KINDS[*]})"
