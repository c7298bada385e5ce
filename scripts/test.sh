#!/usr/bin/env bash
# Installs what is missing, builds everything and runs every test:
#   1. the Release build's full ctest suite (unit, property, CLI, export, screenshot tests under Xvfb)
#   2. the same suite built with AddressSanitizer + UndefinedBehaviorSanitizer
#   3. the browser build (WebAssembly, emscripten) and its tests in headless Chromium
#   4. the Debian package: built, lintian, run from dpkg -x
#   5. a short libFuzzer run of every fuzz target, all at once (clang, ASan + UBSan)
# Each stage prints how long it took.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/deps.sh test
jobs="$(nproc)"

# Screenshot tests need a display: give ctest one from Xvfb when there is none.
# A test that cannot reach Xvfb once ("Failed to open display", seen under load) gets one
# more run; a real failure fails both.
run_ctest() {
  local dir="$1"; shift
  if [ -z "${DISPLAY:-}" ]; then
    xvfb-run -a -s "-screen 0 1920x1080x24" ctest --test-dir "$dir" --output-on-failure -j"$jobs" --repeat until-pass:2 "$@"
  else
    ctest --test-dir "$dir" --output-on-failure -j"$jobs" --repeat until-pass:2 "$@"
  fi
}

stage_start=0
stage_done() { echo "-- $1: $((SECONDS - stage_start))s"; stage_start=$SECONDS; }

echo "== Release build (${SECONDS}s so far) =="
stage_start=$SECONDS
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release
cmake --build build -j"$jobs"
run_ctest build
stage_done "Release build and ctest"

echo "== Browser build and browser tests (${SECONDS}s so far) =="
IM2COL_WEB_JOBS="$jobs" scripts/web.sh --build-only
# The layout comparison renders natively too (under Xvfb when there is no display).
/usr/bin/python3 tests/web/web_test.py build-web/site build/app/im2col-lab
stage_done "browser build and tests"

echo "== Debian package (${SECONDS}s so far) =="
tests/package/package_test.sh
stage_done "Debian package"

echo "== ASan + UBSan build (${SECONDS}s so far) =="
# -O1 -g1: sanitizer reports keep function and line, and the build is much quicker.
cmake -S . -B build-asan -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O1 -g1 -DNDEBUG" \
  -DCMAKE_C_FLAGS_RELWITHDEBINFO="-O1 -g1 -DNDEBUG" -DIM2COL_LAB_SANITIZE=ON -DIM2COL_LAB_BUILD_BENCH=OFF
cmake --build build-asan -j"$jobs"
export LSAN_OPTIONS="suppressions=$PWD/tests/lsan.supp:print_suppressions=0"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
# Tests that load Mesa's GL driver (window, render, monkey) run with ASan + UBSan but without
# LeakSanitizer: the driver's own allocations at exit come from a module LSan cannot name.
gl_labels="gui|gpu|classroom|stage|robustness|cli"
ASAN_OPTIONS="detect_leaks=1:abort_on_error=1" run_ctest build-asan -LE "$gl_labels"
ASAN_OPTIONS="detect_leaks=0:abort_on_error=1" run_ctest build-asan -L "$gl_labels"
stage_done "ASan + UBSan build and ctest"

if [ -f tests/fuzz/CMakeLists.txt ]; then
  echo "== Fuzz (short run, ${SECONDS}s so far) =="
  cmake -S . -B build-fuzz -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_C_COMPILER=clang -DCMAKE_CXX_COMPILER=clang++ \
    -DIM2COL_LAB_BUILD_FUZZ=ON -DIM2COL_LAB_BUILD_APP=OFF -DIM2COL_LAB_BUILD_TESTS=OFF -DIM2COL_LAB_BUILD_BENCH=OFF
  # Only the targets: their own instrumented copies of core and io, not the plain libraries.
  cmake --build build-fuzz -j"$jobs" --target fuzz_scenario_json fuzz_shape_flags fuzz_shape_compute fuzz_settings_json
  tests/fuzz/run_short.sh build-fuzz "${IM2COL_LAB_FUZZ_SECONDS:-45}"
  stage_done "fuzz"
fi
echo "All tests passed in ${SECONDS}s."
