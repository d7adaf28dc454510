#!/usr/bin/env bash
# Measures what MinJobAge gives back: droverctld's RSS before a burst of N jobs, with them
# pending, once they have all ended (cancelled), and once they have aged out of memory
# (MinJobAge set to AGE seconds through scontrol reconfigure). The jobs are submitted held
# and cancelled, so the figure is the controller's alone, not the node daemons'.
# Starts its own cluster (drover up --dir, free ports) and stops it (drover down) on exit.
# ROUNDS rounds: a later round's aged-out figure equal to the first's shows the memory is
# reused, not leaked.
# Usage: bench/min_job_age_rss.sh        env: N (jobs, 10000), AGE (MinJobAge, 10),
#                                             ROUNDS (2), BIN (default build/release/bin)
set -euo pipefail
cd "$(dirname "$0")/.."
N=${N:-10000}
AGE=${AGE:-10}
ROUNDS=${ROUNDS:-2}
BIN=$(cd "${BIN:-build/release/bin}" && pwd)
export PATH="$BIN:$PATH"
work=$(mktemp -d /tmp/drover-bench.XXXXXX)
run_dir="$work/cluster"
trap 'drover down --dir "$run_dir" >/dev/null 2>&1 || true; rm -rf "$work"' EXIT
drover up --dir "$run_dir" --nodes 4 >/dev/null
eval "$(drover env --dir "$run_dir")"
cd "$work"
ctld_pid=$(cat "$run_dir/run/droverctld.pid")
# Resident KB: all, and the heap's part (RssAnon; the rest is mapped files: binary,
# libraries, SQLite's shared memory).
rss_kb() { awk '/^VmRSS/{print $2}' "/proc/$ctld_pid/status"; }
anon_kb() { awk '/^RssAnon/{print $2}' "/proc/$ctld_pid/status"; }

sed -i "s/^MinJobAge=.*/MinJobAge=$AGE/" "$SLURM_CONF"
scontrol reconfigure
rss0=$(rss_kb)
echo "droverctld RSS before: $rss0 KB (anon $(anon_kb) KB)"
for round in $(seq "$ROUNDS"); do
  seq "$N" | xargs -P 8 -n 50 sh -c \
    'for _ in "$@"; do sbatch --parsable -H -o /dev/null --wrap=true; done' sh >ids.txt
  rss1=$(rss_kb) anon1=$(anon_kb)
  # By id, in slices: one scancel -u would first list every job in one reply.
  xargs -P 4 -n 500 scancel <ids.txt
  rss2=$(rss_kb) anon2=$(anon_kb)
  last=$(sort -n ids.txt | tail -1)
  t0=$SECONDS
  until ! scontrol show job "$last" >/dev/null 2>&1; do
    [ $((SECONDS - t0)) -lt $((AGE + 120)) ] || { echo "jobs were not purged" >&2; exit 1; }
    sleep 1
  done
  listed=$(squeue -h -t all -o %i | wc -l)
  sleep 2  # let the purge's snapshot and trim finish
  rss3=$(rss_kb) anon3=$(anon_kb)
  echo "round $round: $N pending $rss1 KB (anon $anon1); ended $rss2 KB (anon $anon2);" \
    "aged out (MinJobAge=$AGE, $listed left) $rss3 KB (anon $anon3):" \
    "$(( (rss2 - rss3) / 1024 )) MB given back"
done
