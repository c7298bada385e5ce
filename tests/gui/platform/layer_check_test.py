#!/usr/bin/env python3
"""The layer check must fail on what it forbids: copies app/gui to a temporary tree,
plants one violation at a time, and expects scripts/check_layers.py to name it."""
import os
import shutil
import subprocess
import sys
import tempfile

PLANTS = [
    # (file, line to add, text the report must contain)
    ("state/hover.cpp", '#include "gui/widgets/theme.h"', "higher layer widgets"),
    ("widgets/theme.cpp", '#include "gui/stage/stage.h"', "higher layer stage"),
    ("gpu/zoom_view.cpp", '#include "gui/platform/platform.h"', "higher layer platform"),
    ("state/app_state.cpp", "#include <imgui.h>", "no ImGui, no GL"),
    ("panels/toolbar.cpp", "#include <GLFW/glfw3.h>", "only platform/"),
    ("panels/panel_playback.cpp", "static int unused = GLFW_KEY_SPACE;", "GLFW_KEY_SPACE"),
]


def run_check(source, checker):
    return subprocess.run([sys.executable, checker, source], capture_output=True, text=True)


def main():
    source = sys.argv[1]
    checker = os.path.join(source, "scripts", "check_layers.py")
    failures = []
    clean = run_check(source, checker)
    if clean.returncode != 0:
        failures.append("the real tree fails the check:\n" + clean.stdout)
    for rel, line, expected in PLANTS:
        with tempfile.TemporaryDirectory() as tmp:
            shutil.copytree(os.path.join(source, "app", "gui"), os.path.join(tmp, "app", "gui"))
            path = os.path.join(tmp, "app", "gui", rel)
            with open(path, encoding="utf-8") as f:
                text = f.read()
            with open(path, "w", encoding="utf-8") as f:
                f.write(line + "\n" + text)
            result = run_check(tmp, checker)
            if result.returncode == 0 or expected not in result.stdout:
                failures.append(f"planting '{line}' in {rel} was not reported (exit {result.returncode}):\n{result.stdout}")
    for f in failures:
        print(f)
    print(f"{len(PLANTS) + 1 - len(failures)} passed, {len(failures)} failed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
