#!/usr/bin/env bash
# srun on a local Drover cluster: the wall time of `srun true` on an idle cluster (srun
# asks for its own allocation, runs one task, gives the allocation back), of `srun -N4
# true` over four node daemons, and steps per second inside one allocation (`srun true`
# in a loop under salloc). Starts its own cluster (drover up --dir) and stops it on exit.
# Usage: bench/srun_bench.sh     env: N (runs, 200), STEPS (steps in the loop, 500),
#                                     BIN (default build/release/bin)
# Compare with ../shared/slurm-anchor on the same machine.
set -euo pipefail
cd "$(dirname "$0")/.."
N=${N:-200}
STEPS=${STEPS:-500}
BIN=$(cd "${BIN:-build/release/bin}" && pwd)
export PATH="$BIN:$PATH"
work=$(mktemp -d /tmp/drover-srun-bench.XXXXXX)
run_dir="$work/cluster"
trap 'drover down --dir "$run_dir" >/dev/null 2>&1 || true; rm -rf "$work"' EXIT
drover up --dir "$run_dir" --nodes 4 >/dev/null
eval "$(drover env --dir "$run_dir")"
cd "$work"

median_ms() {  # median_ms <command...>: runs it N times, prints the median wall time in ms
  local samples=() start end
  for _ in $(seq "$N"); do
    start=$EPOCHREALTIME
    "$@" >/dev/null
    end=$EPOCHREALTIME
    samples+=("$(( (${end/./} - ${start/./}) ))")
  done
  printf '%s\n' "${samples[@]}" | sort -n |
    awk '{a[NR]=$1} END {printf "median %.1f ms, p90 %.1f ms", a[int((NR+1)/2)]/1000, a[int(NR*0.9)]/1000}'
}

echo "srun true (own allocation, 1 node): $(median_ms srun true)"
echo "srun -N4 true (own allocation, 4 nodes): $(median_ms srun -N4 true)"

# Steps inside one allocation, one after another.
out=$(salloc -N1 -n1 -Q bash -c "t0=\$EPOCHREALTIME; for i in \$(seq $STEPS); do srun true; done; \
  t1=\$EPOCHREALTIME; python3 -c \"print(f'{$STEPS/(\$t1-\$t0):.0f}')\"" 2>/dev/null)
echo "steps inside one allocation: $out steps/s (srun true x $STEPS, serial)"
