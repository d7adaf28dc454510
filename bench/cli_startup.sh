#!/usr/bin/env bash
# Wall time of one CLI call that needs no controller, against /bin/true: what scripts and
# workflow engines pay per command before any RPC. Prints the median of N runs in ms.
# Usage: bench/cli_startup.sh [N]   (build/release must be built)
set -euo pipefail
cd "$(dirname "$0")/.."
N=${1:-300}
BIN=build/release/bin

median_ms() {  # median_ms <command...>: runs it N times, prints the median in ms
  local samples=() start end
  for _ in $(seq "$N"); do
    start=$EPOCHREALTIME
    "$@" >/dev/null
    end=$EPOCHREALTIME
    samples+=("$(( (${end/./} - ${start/./}) ))")
  done
  printf '%s\n' "${samples[@]}" | sort -n | awk '{a[NR]=$1} END {printf "%.2f", a[int((NR+1)/2)]/1000}'
}

printf '%-44s %8s ms\n' "/bin/true" "$(median_ms /bin/true)"
printf '%-44s %8s ms\n' "scontrol show hostnames node[1-4]" \
  "$(median_ms "$BIN/scontrol" show hostnames 'node[1-4]')"
printf '%-44s %8s ms\n' "scontrol --version" "$(median_ms "$BIN/scontrol" --version)"
