#!/usr/bin/env bash
# Runs every libFuzzer target for a fixed time and reports its executions:
#   tests/fuzz/run_short.sh <build-dir> <seconds>
# prints "fuzz <target>: N execs, 0 crashes" per target and exits non-zero when any
# target crashes (the input is kept in <build-dir>/fuzz-artifacts/ for a regression
# file in tests/fuzz/regressions/<target>/) or a target is missing.
#
# Each target starts from tests/fuzz/corpus/<target>/ and tests/fuzz/regressions/<target>/,
# copied to a scratch directory so the checked-in corpus never changes.
set -uo pipefail

if [ $# -ne 2 ]; then
  echo "usage: $0 <build-dir> <seconds-per-target>" >&2
  exit 2
fi
build_dir="$(cd "$1" 2>/dev/null && pwd)" || { echo "run_short.sh: no build directory '$1'" >&2; exit 2; }
seconds="$2"
case "$seconds" in
  ''|*[!0-9]*) echo "run_short.sh: seconds must be a whole number, got '$seconds'" >&2; exit 2 ;;
esac
fuzz_dir="$(cd "$(dirname "$0")" && pwd)"
targets=(fuzz_scenario_json fuzz_shape_flags fuzz_shape_compute fuzz_settings_json)

scratch="$(mktemp -d "${TMPDIR:-/tmp}/im2col-fuzz.XXXXXX")"
trap 'rm -rf "$scratch"' EXIT
artifacts="$build_dir/fuzz-artifacts"
mkdir -p "$artifacts"

# All targets at once (each is one process): the run takes <seconds> of wall time in
# total instead of <seconds> per target, on however many cores there are.
failed=0
pids=()
for target in "${targets[@]}"; do
  binary="$build_dir/tests/fuzz/$target"
  if [ ! -x "$binary" ]; then
    echo "fuzz $target: MISSING ($binary not built)"
    failed=1
    continue
  fi
  corpus="$scratch/$target"
  mkdir -p "$corpus"
  for seeds in "$fuzz_dir/corpus/$target" "$fuzz_dir/regressions/$target"; do
    [ -d "$seeds" ] && cp -r "$seeds"/. "$corpus"/ 2>/dev/null
  done
  dict=()
  [ -f "$fuzz_dir/dict/$target.dict" ] && dict=(-dict="$fuzz_dir/dict/$target.dict")
  log="$scratch/$target.log"
  ( "$binary" "$corpus" "${dict[@]}" -max_total_time="$seconds" -print_final_stats=1 \
      -timeout=25 -rss_limit_mb=2048 -max_len=8192 -artifact_prefix="$artifacts/$target-" >"$log" 2>&1
    echo $? >"$scratch/$target.status" ) &
  pids+=($!)
done
for pid in "${pids[@]}"; do wait "$pid"; done

for target in "${targets[@]}"; do
  [ -f "$scratch/$target.status" ] || continue
  status="$(cat "$scratch/$target.status")"
  log="$scratch/$target.log"
  execs="$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)"
  if [ "$status" -ne 0 ] || [ -z "$execs" ]; then
    echo "fuzz $target: ${execs:-?} execs, 1 crash (exit $status)"
    grep -E "fuzz property failed|ERROR: |SUMMARY: |runtime error|^  " "$log" | head -n 12 | sed 's/^/    /'
    ls "$artifacts/$target-"* 2>/dev/null | sed 's/^/    input kept: /'
    cp "$log" "$artifacts/$target.log"
    failed=1
  else
    echo "fuzz $target: $execs execs, 0 crashes"
  fi
done
exit "$failed"
