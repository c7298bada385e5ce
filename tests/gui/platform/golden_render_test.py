#!/usr/bin/env python3
"""Renders every frame listed in tests/gui/platform/golden/renders.txt and compares it with the
committed golden image. Fails naming every frame that differs.

Byte-identical passes. Otherwise the frames may differ only by edge noise: Mesa's llvmpipe and
glibc's libm pick code paths by CPU (AVX-512, FMA, Intel or AMD), so a rectangle edge that falls
on a pixel's centre can land one pixel over, leaving one-pixel-wide lines in the difference. The
difference mask (channels over 5 %) is opened with a 2x2 square, which removes exactly such lines;
anything left (a changed digit, a moved outline, a colour) fails.

Usage: golden_render_test.py IM2COL_LAB_BINARY GOLDEN_DIR
"""
import os
import shutil
import subprocess
import sys
import tempfile


def differing_pixels(ours, golden):
    """Pixels that differ beyond one-pixel edge lines (ImageMagick), or None when it is missing."""
    if shutil.which("convert") is None:
        return None
    run = subprocess.run(["convert", ours, golden, "-compose", "difference", "-composite", "-separate",
                          "-evaluate-sequence", "max", "-threshold", "5%", "-morphology", "Open", "Rectangle:2x2",
                          "-format", "%[fx:round(mean*w*h)]", "info:"], capture_output=True, text=True)
    if run.returncode != 0:
        return None
    return int(run.stdout.strip())


def main():
    binary, golden = sys.argv[1], sys.argv[2]
    failures = []
    with open(os.path.join(golden, "renders.txt"), encoding="utf-8") as listing:
        frames = [line.strip().split("|", 1) for line in listing if line.strip()]
    with tempfile.TemporaryDirectory() as out:
        for name, flags in frames:
            png = os.path.join(out, name + ".png")
            run = subprocess.run([binary, "render", *flags.split(), "--out", png], capture_output=True, text=True)
            if run.returncode != 0:
                failures.append(f"{name}: render failed ({run.returncode}): {run.stderr.strip()}")
                continue
            reference = os.path.join(golden, name + ".png")
            with open(png, "rb") as a, open(reference, "rb") as b:
                identical = a.read() == b.read()
            if identical:
                print(f"{name}: ok")
                continue
            different = differing_pixels(png, reference)
            if different == 0:
                print(f"{name}: ok (only one-pixel edge lines differ)")
                continue
            failures.append(f"{name}: differs from tests/gui/platform/golden/{name}.png ({flags})"
                            + ("" if different is None else f": {different} pixels beyond edge noise"))
            print(f"{name}: DIFFERENT")
    for f in failures:
        print(f)
    print(f"{len(frames) - len(failures)} passed, {len(failures)} failed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
