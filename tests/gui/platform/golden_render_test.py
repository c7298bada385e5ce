#!/usr/bin/env python3
"""Renders every frame listed in tests/gui/platform/golden/renders.txt and compares the PNG, byte
for byte, with the committed golden image. Fails naming every frame that differs.

Usage: golden_render_test.py IM2COL_LAB_BINARY GOLDEN_DIR
"""
import os
import subprocess
import sys
import tempfile


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
            with open(png, "rb") as a, open(os.path.join(golden, name + ".png"), "rb") as b:
                if a.read() != b.read():
                    failures.append(f"{name}: differs from tests/gui/platform/golden/{name}.png ({flags})")
            print(f"{name}: {'ok' if not failures or not failures[-1].startswith(name) else 'DIFFERENT'}")
    for f in failures:
        print(f)
    print(f"{len(frames) - len(failures)} passed, {len(failures)} failed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
