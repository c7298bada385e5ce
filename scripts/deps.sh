#!/usr/bin/env bash
# Installs the Debian packages im2col-lab needs, only those that are missing.
# Usage: scripts/deps.sh [app|test]   (test adds the test, fuzz and screenshot tools)
set -euo pipefail

APP_PACKAGES=(cmake make g++ pkg-config python3-glad libimgui-dev libglfw3-dev libeigen3-dev
  libfreetype-dev nlohmann-json3-dev libcli11-dev libstb-dev libgif-dev libopenblas-dev
  fonts-dejavu-core libgl1-mesa-dri libgtest-dev libbenchmark-dev)
TEST_PACKAGES=(xvfb xauth clang libclang-rt-14-dev python3-numpy python3-torch octave
  lintian help2man imagemagick dpkg-dev emscripten python3-selenium chromium chromium-driver)

wanted=("${APP_PACKAGES[@]}")
if [ "${1:-app}" = "test" ]; then wanted+=("${TEST_PACKAGES[@]}"); fi

missing=()
for pkg in "${wanted[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
[ ${#missing[@]} -eq 0 ] && exit 0

SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
echo "Installing: ${missing[*]}"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
