#!/usr/bin/env bash
# Startup measured as CPU time (user + system, from /proc/<pid>/stat) spent by a server process until
# its first 200 on GET /hello, and the CPU cost of loading each package of the fixed stack alone.
# CPU time moves less than wall time when other processes share the machine. Medians of N runs,
# interleaved. Run after `npm run prepare-bench` (uses dist/ and node_modules/ of bench/).
#   bash scripts/startup-cpu.sh [N=7]
set -euo pipefail
cd "$(dirname "$0")/.."
N=${1:-7}
tick_ms=$((1000 / $(getconf CLK_TCK)))

cpu_to_first_200() { # script [args]
  local port=$((40000 + RANDOM % 5000))
  PORT=$port NODE_ENV=production node "$@" 2>/dev/null &
  local pid=$!
  until curl -sf "http://127.0.0.1:$port/hello" >/dev/null 2>&1; do
    kill -0 "$pid" 2>/dev/null || { echo "$* exited before answering" >&2; return 1; }
    sleep 0.002
  done
  local st; read -r -a st < "/proc/$pid/stat"
  echo $(( (st[13] + st[14]) * tick_ms ))
  kill -TERM "$pid"; wait "$pid" 2>/dev/null || true
}

cpu_of_require() { # module ('' = empty node)
  local t; t=$( { /usr/bin/time -f '%U %S' node -e "${1:+require('$1')}" >/dev/null; } 2>&1 | tail -1)
  awk '{ printf "%d\n", ($1 + $2) * 1000 }' <<<"$t"
}

median() { sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }

declare -A runs
servers=(fastify lokstra nest)
packages=('' fastify class-validator inversify class-transformer lokstra)
for ((i = 0; i < N; i++)); do
  for s in "${servers[@]}"; do runs[server:$s]+="$(cpu_to_first_200 "dist/servers/$s.js") "; done
  for p in "${packages[@]}"; do runs[require:$p]+="$(cpu_of_require "$p") "; done
done

echo "CPU ms (user + system), median of $N; $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "spawn to first 200 on GET /hello:"
for s in "${servers[@]}"; do printf '  %-26s %5s ms\n' "$s" "$(tr ' ' '\n' <<<"${runs[server:$s]}" | grep . | median)"; done
echo "node -e \"require('<package>')\" (the empty line is node itself):"
for p in "${packages[@]}"; do printf '  %-26s %5s ms\n' "${p:-(node only)}" "$(tr ' ' '\n' <<<"${runs[require:$p]}" | grep . | median)"; done
