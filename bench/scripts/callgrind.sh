#!/bin/sh
# Instructions per request under callgrind, independent of the machine's load:
#   scripts/callgrind.sh <lokstra dir with dist/> <variant: plain|builtins> <route: hello|user> <N1> <N2> [origin]
# runs scripts/callgrind-inject.cjs with N1 and with N2 requests and prints (Ir(N2) − Ir(N1)) ÷ (N2 − N1):
# boot, JIT warm-up and exit cancel out. Keeps the callgrind files in ${CALLGRIND_OUT:-/tmp/callgrind}.
set -eu
dir=$1; variant=$2; route=$3; n1=$4; n2=$5; origin=${6:-}
out=${CALLGRIND_OUT:-/tmp/callgrind}
mkdir -p "$out"
here=$(dirname "$0")
tag=$(basename "$dir")-$variant-$route${origin:+-origin}
ir() {
  f="$out/$tag-$1.out"
  valgrind --tool=callgrind --smc-check=all-non-file --callgrind-out-file="$f" \
    node "$here/callgrind-inject.cjs" "$dir" "$variant" "$route" "$1" $origin >/dev/null 2>&1
  grep '^summary:' "$f" | awk '{print $2}'
}
a=$(ir "$n1"); b=$(ir "$n2")
echo "$tag: Ir($n1)=$a Ir($n2)=$b per request=$(( (b - a) / (n2 - n1) ))"
