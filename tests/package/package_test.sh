#!/usr/bin/env bash
# The Debian package: built by scripts/package.sh (lintian without errors), unpacked
# with dpkg -x into a temporary folder, and run from there: the binary must find its
# presets relative to itself.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
BUILD="${IM2COL_LAB_BUILD_DIR:-$ROOT/build}"
"$ROOT/scripts/package.sh"
DEB="$(ls -t "$BUILD"/im2col-lab_*_"$(dpkg --print-architecture)".deb | head -1)"
TMP="$(mktemp -d)"
trap 'rm -rf "$TMP"' EXIT
fail() { echo "package test: $*" >&2; exit 1; }

info="$(dpkg-deb --info "$DEB")"
contents="$(dpkg-deb --contents "$DEB")"
grep -q "Package: im2col-lab" <<< "$info" || fail "no control file"
for path in usr/bin/im2col-lab usr/share/im2col-lab/assets/presets/chapter-4x4x3.json \
            usr/share/applications/im2col-lab.desktop usr/share/icons/hicolor/128x128/apps/im2col-lab.png \
            usr/share/man/man1/im2col-lab.1.gz usr/share/doc/im2col-lab/copyright; do
  grep -q " ./$path\$" <<< "$contents" || fail "$path missing from $DEB"
done
if ls "$ROOT/assets/tours/"*.json > /dev/null 2>&1; then grep -q "assets/tours/" <<< "$contents" || fail "tours missing"; fi

# Unpacked anywhere, run from anywhere: assets are found relative to the binary.
dpkg -x "$DEB" "$TMP/unpacked"
cd "$TMP"
BIN="$TMP/unpacked/usr/bin/im2col-lab"
out="$("$BIN" compute --preset chapter-4x4x3 --format json)" || fail "compute failed"
printf '%s' "$out" | /usr/bin/python3 -c 'import json, sys; d = json.load(sys.stdin); assert d, "empty"' \
  || fail "compute --format json is not JSON"
presets="$("$BIN" presets)"
grep -q "alexnet-conv1" <<< "$presets" || fail "presets does not list alexnet-conv1"
grep -q "chapter-4x4x3" <<< "$presets" || fail "presets does not list chapter-4x4x3"
# The presets read are the unpacked ones (next to the binary), not the source tree's:
# one planted there is listed.
sed 's/"title": *"[^"]*"/"title": "Planted next to the unpacked binary"/' \
  "$TMP/unpacked/usr/share/im2col-lab/assets/presets/chapter-4x4x3.json" \
  > "$TMP/unpacked/usr/share/im2col-lab/assets/presets/zz-planted.json"
grep -q "zz-planted" <<< "$("$BIN" presets)" || fail "the unpacked assets are not the ones read"
zcat "$TMP/unpacked/usr/share/man/man1/im2col-lab.1.gz" | grep -q "^\.TH IM2COL-LAB" || fail "man page header"
grep -q "^Exec=im2col-lab" "$TMP/unpacked/usr/share/applications/im2col-lab.desktop" || fail "desktop entry"
echo "package test: $DEB passed"
