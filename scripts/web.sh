#!/usr/bin/env bash
# The browser build: WebAssembly + WebGL2 with Debian's emscripten, into build-web/.
# Installs what is missing (emscripten; Dear ImGui's and giflib's sources from Debian's
# source packages, unpacked into build-web/, never into the repository), builds, and
# serves the page on http://127.0.0.1:PORT/ (default 8080).
# Usage: scripts/web.sh [--build-only] [--simd] [--port N]
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
OUT="${IM2COL_WEB_BUILD_DIR:-$ROOT/build-web}"
BUILD_ONLY=0; SIMD=OFF; PORT=8080
while [ $# -gt 0 ]; do
  case "$1" in
    --build-only) BUILD_ONLY=1 ;;
    --simd) SIMD=ON ;;
    --port) PORT="$2"; shift ;;
    *) echo "web.sh: unknown option '$1' (--build-only, --simd, --port N)" >&2; exit 2 ;;
  esac
  shift
done

SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
need=()
for pkg in emscripten libeigen3-dev nlohmann-json3-dev libcli11-dev libstb-dev fonts-dejavu-core python3; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || need+=("$pkg")
done
if [ ${#need[@]} -gt 0 ]; then
  echo "Installing: ${need[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${need[@]}"
fi

# Third-party sources from Debian's source packages, through a deb-src list given only
# to these apt-get calls (the machine's own lists stay as they are).
SRC="$OUT/third_party"
mkdir -p "$SRC/apt/sources" "$SRC/apt/lists/partial"
fetch_source() {  # package, unpacked folder glob
  local package="$1" pattern="$2"
  if compgen -G "$SRC/$pattern" > /dev/null; then return; fi
  cat > "$SRC/apt/sources/debsrc.sources" <<SOURCES
Types: deb-src
URIs: http://deb.debian.org/debian
Suites: bookworm
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
SOURCES
  local apt_options=(-o Dir::Etc::SourceList=/dev/null -o "Dir::Etc::SourceParts=$SRC/apt/sources"
                     -o "Dir::State::Lists=$SRC/apt/lists")
  [ -n "$(ls "$SRC/apt/lists" 2>/dev/null | grep -v partial)" ] || apt-get "${apt_options[@]}" update -qq
  (cd "$SRC" && apt-get "${apt_options[@]}" source --download-only "$package" > /dev/null 2>&1)
  (cd "$SRC" && for archive in "${package}"_*.orig.tar.*; do tar xf "$archive"; done)
}
fetch_source imgui "imgui-1.86"
fetch_source giflib "giflib-5*"
IMGUI="$(compgen -G "$SRC/imgui-1.86" | head -1)"
GIFLIB="$(compgen -G "$SRC/giflib-5*" | head -1)"

# Header-only libraries, seen through one folder (not all of /usr/include, which holds
# the machine's libc headers).
INC="$OUT/include"
mkdir -p "$INC"
ln -sfn /usr/include/eigen3/Eigen "$INC/Eigen"
ln -sfn /usr/include/nlohmann "$INC/nlohmann"
ln -sfn /usr/include/CLI "$INC/CLI"
for h in stb_image.h stb_image_write.h; do ln -sfn "/usr/include/stb/$h" "$INC/$h"; done
FONTS="$OUT/fonts"
mkdir -p "$FONTS"
for f in DejaVuSans.ttf DejaVuSans-Bold.ttf DejaVuSansMono.ttf; do cp -u "/usr/share/fonts/truetype/dejavu/$f" "$FONTS/"; done

export NODE_PATH=/usr/share/nodejs  # emscripten's JS optimizer needs Debian's node modules
JOBS="${IM2COL_WEB_JOBS:-2}"
emcmake cmake -S "$ROOT/app/web" -B "$OUT/cmake" -DCMAKE_BUILD_TYPE=Release -DIM2COL_WEB_SIMD=$SIMD \
  -DIM2COL_WEB_IMGUI="$IMGUI" -DIM2COL_WEB_GIFLIB="$GIFLIB" -DIM2COL_WEB_INCLUDE="$INC" \
  -DIM2COL_WEB_FONTS="$FONTS" > "$OUT/configure.log"
cmake --build "$OUT/cmake" -j"$JOBS"
SITE="$OUT/site"
mkdir -p "$SITE"
cp "$OUT/cmake/app.js" "$OUT/cmake/app.wasm" "$SITE/"
cp "$ROOT/app/web/index.html" "$SITE/index.html"
echo "web build: $SITE (app.wasm $(stat -c %s "$SITE/app.wasm") bytes)"
[ "$BUILD_ONLY" = 1 ] && exit 0
echo "serving on http://127.0.0.1:$PORT/ (Ctrl+C stops)"
cd "$SITE" && exec python3 -m http.server "$PORT" --bind 127.0.0.1
