#!/bin/sh
# Instructions per in-process GET /users/:id under callgrind for lokstra | lokstra-returns | fastify-schema:
#   sh bench/scripts/callgrind-returns.sh <server> <N1> <N2>      (from the repository root)
# runs returns-inject.ts in callgrind mode with N1 and N2 requests and prints (Ir(N2) − Ir(N1)) ÷ (N2 − N1).
set -eu
server=$1; n1=$2; n2=$3
out=${CALLGRIND_OUT:-/tmp/callgrind}
mkdir -p "$out"
ir() {
  f="$out/returns-$server-$1.out"
  valgrind --tool=callgrind --smc-check=all-non-file --callgrind-out-file="$f" \
    node -r ts-node/register/transpile-only bench/scripts/returns-inject.ts callgrind "$server" "$1" >/dev/null 2>&1
  grep '^summary:' "$f" | awk '{print $2}'
}
a=$(ir "$n1"); b=$(ir "$n2")
echo "$server: Ir($n1)=$a Ir($n2)=$b per request=$(( (b - a) / (n2 - n1) ))"
