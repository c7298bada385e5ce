#!/usr/bin/env bash
# Re-renders the golden frames of tests/gui/platform/golden with build/app/im2col-lab, for a change
# that is meant to alter the picture. Say in the commit why the pictures changed.
set -euo pipefail
cd "$(dirname "$0")/.."
binary="${1:-build/app/im2col-lab}"
run() { if [ -z "${DISPLAY:-}" ]; then xvfb-run -a -s "-screen 0 1920x1080x24" "$@"; else "$@"; fi; }
while IFS='|' read -r name flags; do
  [ -n "$name" ] || continue
  # shellcheck disable=SC2086
  run "$binary" render $flags --out "tests/gui/platform/golden/$name.png"
  echo "rendered $name"
done < tests/gui/platform/golden/renders.txt
