#!/usr/bin/env bash
# Builds the Debian package build/im2col-lab_<version>_amd64.deb: the binary, the
# presets and tours, a desktop entry, an icon drawn by the app itself, a man page made
# from --help, and the copyright file; then checks it with lintian (errors fail).
# Usage: scripts/package.sh [--no-lintian]
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
BUILD="${IM2COL_LAB_BUILD_DIR:-$ROOT/build}"
cd "$ROOT"
if [ ! -x "$BUILD/app/im2col-lab" ]; then
  cmake -S . -B "$BUILD" -DCMAKE_BUILD_TYPE=Release > /dev/null
  cmake --build "$BUILD" -j"$(nproc)" --target im2col-lab
fi
BIN="$BUILD/app/im2col-lab"
VERSION="$("$BIN" --version | awk '{print $NF}')"
ARCH="$(dpkg --print-architecture)"
STAGE="$BUILD/deb/root"
rm -rf "$BUILD/deb"
mkdir -p "$STAGE/DEBIAN" "$STAGE/usr/bin" "$STAGE/usr/share/im2col-lab" "$STAGE/usr/share/applications" \
  "$STAGE/usr/share/icons/hicolor/128x128/apps" "$STAGE/usr/share/man/man1" "$STAGE/usr/share/doc/im2col-lab"

install -m 0755 -s "$BIN" "$STAGE/usr/bin/im2col-lab"
# The binary looks for its assets next to itself and in ../share/im2col-lab/assets.
cp -r assets "$STAGE/usr/share/im2col-lab/assets"
find "$STAGE/usr/share/im2col-lab" -type d -exec chmod 0755 {} + -o -type f -exec chmod 0644 {} +

cat > "$STAGE/usr/share/applications/im2col-lab.desktop" <<DESKTOP
[Desktop Entry]
Type=Application
Name=im2col-lab
GenericName=Convolution as matrix multiplication
Comment=Watch a convolution become one matrix multiplication (im2col, GEMM, col2im)
Exec=im2col-lab
Icon=im2col-lab
Terminal=false
Categories=Education;Science;Math;
Keywords=convolution;im2col;GEMM;neural network;
DESKTOP

# The icon: the app's own render of the chapter example's im2col step, cropped to the
# input's channel 1 with the patch being copied (orange) and scaled (needs a display:
# Xvfb when there is none).
render=("$BIN" render --preset chapter-4x4x3 --step 20 --size 900x600 --out "$BUILD/deb/icon-full.png")
if [ -z "${DISPLAY:-}" ]; then render=(xvfb-run -a -s "-screen 0 1920x1080x24" "${render[@]}"); fi
"${render[@]}"
CONVERT=/usr/bin/convert  # ImageMagick's (not another tool of the same name earlier in PATH)
[ -x "$CONVERT" ] || CONVERT=convert
"$CONVERT" "$BUILD/deb/icon-full.png" -crop 110x110+277+185 +repage -resize 128x128 \
  -strip "$STAGE/usr/share/icons/hicolor/128x128/apps/im2col-lab.png"
chmod 0644 "$STAGE/usr/share/icons/hicolor/128x128/apps/im2col-lab.png" "$STAGE/usr/share/applications/im2col-lab.desktop"

help2man --no-info --no-discard-stderr --version-string="$VERSION" \
  --name="watch a convolution become one matrix multiplication" "$BIN" | gzip -9n > "$STAGE/usr/share/man/man1/im2col-lab.1.gz"
chmod 0644 "$STAGE/usr/share/man/man1/im2col-lab.1.gz"

# The source tree names no licence yet: the copyright file says so instead of inventing one.
cat > "$STAGE/usr/share/doc/im2col-lab/copyright" <<COPYRIGHT
im2col-lab

Copyright (C) $(date -u +%Y -d "@${SOURCE_DATE_EPOCH:-$(date +%s)}") the im2col-lab authors.

The source tree this package was built from states no licence. Until it does, ask the
authors before redistributing it. The fonts it uses come from fonts-dejavu-core (not
bundled); Dear ImGui, GLFW, Eigen, giflib and stb are linked from Debian's packages.
COPYRIGHT
DATE="$(date -R -d "@${SOURCE_DATE_EPOCH:-$(git log -1 --format=%ct 2>/dev/null || date +%s)}")"
printf 'im2col-lab (%s) unstable; urgency=medium\n\n  * Package built from the source tree.\n\n -- im2col-lab authors <im2col-lab@example.org>  %s\n' \
  "$VERSION" "$DATE" | gzip -9n > "$STAGE/usr/share/doc/im2col-lab/changelog.gz"
chmod 0644 "$STAGE/usr/share/doc/im2col-lab/"*

# Run-time libraries, from the binary's own links.
DEPENDS="$(cd "$BUILD/deb" && mkdir -p debian && printf 'Source: im2col-lab\n' > debian/control &&
  dpkg-shlibdeps -O "$STAGE/usr/bin/im2col-lab" 2>/dev/null | sed 's/^shlibs:Depends=//')"
rm -rf "$BUILD/deb/debian"
SIZE="$(du -sk "$STAGE/usr" | cut -f1)"
cat > "$STAGE/DEBIAN/control" <<CONTROL
Package: im2col-lab
Version: $VERSION
Architecture: $ARCH
Maintainer: im2col-lab authors <im2col-lab@example.org>
Installed-Size: $SIZE
Depends: ${DEPENDS:+$DEPENDS, }fonts-dejavu-core
Section: education
Priority: optional
Homepage: https://example.org/im2col-lab
Description: watch a convolution become one matrix multiplication
 im2col-lab shows, step by step, how im2col turns a convolution into one matrix
 product (GEMM) and how col2im carries the gradient back, with the chapter's
 4x4x3 example, AlexNet's first layer and any shape you type. It also computes,
 renders and exports from the command line.
CONTROL
DEB="$BUILD/im2col-lab_${VERSION}_${ARCH}.deb"
dpkg-deb --build --root-owner-group "$STAGE" "$DEB" > /dev/null
echo "package: $DEB ($(stat -c %s "$DEB") bytes)"
if [ "${1:-}" != "--no-lintian" ]; then
  # Errors fail the build; warnings are shown.
  lintian --tag-display-limit 0 "$DEB" | tee "$BUILD/deb/lintian.txt" || true
  if grep -q '^E:' "$BUILD/deb/lintian.txt"; then echo "lintian reported errors" >&2; exit 1; fi
fi
