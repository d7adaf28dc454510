#!/usr/bin/env bash
# Measures a local Drover cluster as a user meets it: submission rates, query and cancel
# times over a big queue, controller memory per pending job, end-to-end job rate.
# Starts its own cluster (drover up --dir, free ports) and stops it (drover down) on exit.
# Usage: bench/cluster_bench.sh            env: N (submissions, 1000), BIG (pending, 10000),
#                                                 BIN (default build/release/bin)
# Prints one line per figure; compare with ../shared/slurm-anchor/bench.sh on the same
# machine.
set -euo pipefail
cd "$(dirname "$0")/.."
N=${N:-1000}
BIG=${BIG:-10000}
BIN=$(cd "${BIN:-build/release/bin}" && pwd)
export PATH="$BIN:$PATH"
work=$(mktemp -d /tmp/drover-bench.XXXXXX)
run_dir="$work/cluster"
trap 'drover down --dir "$run_dir" >/dev/null 2>&1 || true; rm -rf "$work"' EXIT
drover up --dir "$run_dir" --nodes 4 >/dev/null
eval "$(drover env --dir "$run_dir")"
cd "$work"
ctld_pid=$(cat "$run_dir/run/droverctld.pid")

now() { echo "$EPOCHREALTIME"; }
rate() { python3 -c "print(f'{$1/($3-$2):.0f}')"; }
ms() { python3 -c "print(f'{($2-$1)*1000:.1f}')"; }
rss_kb() { awk '/^VmRSS/{print $2}' "/proc/$ctld_pid/status"; }
wait_empty() {  # until squeue lists nothing pending or running (bounded)
  local deadline=$((SECONDS + 600))
  while [ -n "$(squeue -h -o %i | head -1)" ]; do
    [ $SECONDS -lt $deadline ] || { echo "queue did not drain" >&2; exit 1; }
    sleep 0.05
  done
}

# Serial submissions (held, so nodes are not involved).
t0=$(now); for _ in $(seq "$N"); do sbatch -H --wrap=true >/dev/null; done; t1=$(now)
echo "serial sbatch: $(rate "$N" "$t0" "$t1") submissions/s ($(ms "$t0" "$t1") ms for $N)"
echo "sbatch call: $(python3 -c "print(f'{($t1-$t0)*1000/$N:.2f}')") ms each"
scancel -u "$(id -un)"

# 8 parallel submitters.
t0=$(now)
seq "$N" | xargs -P 8 -I{} sbatch -H --wrap=true >/dev/null
t1=$(now)
echo "8 parallel submitters: $(rate "$N" "$t0" "$t1") submissions/s"
scancel -u "$(id -un)"

# End to end: N trivial jobs through 4 node daemons.
wait_empty
t0=$(now)
seq "$N" | xargs -P 8 -I{} sbatch -o /dev/null --wrap=true >/dev/null
wait_empty
t1=$(now)
echo "end to end: $(rate "$N" "$t0" "$t1") jobs/s for $N trivial jobs on 4 node daemons"

# Submit -> running latency, one job at a time on an idle cluster.
lat=()
for _ in $(seq 20); do
  t0=$(now)
  id=$(sbatch --parsable -o /dev/null --wrap='sleep 30')
  until [ "$(squeue -h -j "$id" -o %t)" = "R" ]; do :; done
  t1=$(now)
  lat+=("$(ms "$t0" "$t1")")
  scancel "$id"
done
echo "submit->running (incl. one squeue call): median $(printf '%s\n' "${lat[@]}" | sort -n | sed -n 10p) ms"
wait_empty

# A big pending queue: query and cancel times, memory per pending job.
rss0=$(rss_kb)
seq "$BIG" | xargs -P 8 -n 50 sh -c 'for _ in "$@"; do sbatch -H --wrap=true; done' sh >/dev/null
rss1=$(rss_kb)
echo "controller RSS: $rss0 KB -> $rss1 KB with $BIG pending: $(( (rss1 - rss0) * 1024 / BIG )) bytes per pending job"
for q in "squeue" "squeue --json" "scontrol show job"; do
  t0=$(now); for _ in 1 2 3; do $q >/dev/null; done; t1=$(now)
  echo "$q over $BIG pending: $(python3 -c "print(f'{($t1-$t0)*1000/3:.1f}')") ms"
done
t0=$(now); scancel -u "$(id -un)"; t1=$(now)
echo "scancel of $BIG pending: $(ms "$t0" "$t1") ms"
