#!/usr/bin/env python3
"""Checks the include rule of app/gui's layers (app/gui/README.md).

Each folder under app/gui is a layer; a file may include headers of its own layer and of
the layers below it, never above. State has no ImGui and no GL; only platform/ names
GLFW, X11 or GLX. Prints every violation as file:line and exits 1 when there is one.

Usage: check_layers.py [SOURCE_DIR]   (default: the repository holding this script)
"""
import os
import re
import sys

# Bottom to top. The loose files at the top of app/gui (run_app) sit above them all.
LAYERS = ["state", "widgets", "gpu", "stage", "panels", "platform"]
RANK = {name: i for i, name in enumerate(LAYERS)}
TOP = len(LAYERS)

GUI_INCLUDE = re.compile(r'^\s*#\s*include\s+"gui/([^"]+)"')
ANY_INCLUDE = re.compile(r'^\s*#\s*include\s+[<"]([^>"]+)[>"]')
IMGUI = re.compile(r"^(imgui[^/]*\.h|backends/|misc/)")
GL = re.compile(r"^(glad/|GL/|GLES)")
WINDOWING = re.compile(r"^(GLFW/|X11/|GL/glx)")
WINDOWING_NAMES = re.compile(r"\b(glfw[A-Z]\w*|GLFW_\w+|GLFWwindow|glX\w+|XOpenDisplay)\b")


def layer_of(rel):
    """Layer name of a path relative to app/gui, or None for a loose top-level file."""
    parts = rel.split("/")
    return parts[0] if len(parts) > 1 and parts[0] in RANK else None


def check(source_dir):
    gui = os.path.join(source_dir, "app", "gui")
    problems = []
    for dirpath, _, files in os.walk(gui):
        for name in sorted(files):
            if not name.endswith((".h", ".cpp")):
                continue
            path = os.path.join(dirpath, name)
            rel = os.path.relpath(path, gui).replace(os.sep, "/")
            layer = layer_of(rel)
            rank = RANK[layer] if layer else TOP
            if layer is None and "/" in rel:
                problems.append(f"app/gui/{rel}: folder '{rel.split('/')[0]}' is not a layer ({', '.join(LAYERS)})")
                continue
            with open(path, encoding="utf-8") as f:
                lines = f.read().split("\n")
            for number, line in enumerate(lines, 1):
                where = f"app/gui/{rel}:{number}"
                m = GUI_INCLUDE.match(line)
                if m:
                    target = m.group(1)
                    target_layer = layer_of(target)
                    if target_layer is None:
                        if "/" in target or rank < TOP:
                            problems.append(f"{where}: includes gui/{target}, which is above every layer")
                    elif RANK[target_layer] > rank:
                        problems.append(f"{where}: {layer or 'top'} includes gui/{target} from the higher layer {target_layer}")
                    continue
                m = ANY_INCLUDE.match(line)
                if m:
                    header = m.group(1)
                    if layer == "state" and (IMGUI.match(header) or GL.match(header)):
                        problems.append(f"{where}: state/ must not include <{header}> (no ImGui, no GL)")
                    if layer != "platform" and layer is not None and WINDOWING.match(header):
                        problems.append(f"{where}: only platform/ may include <{header}>")
                    continue
                code = line.split("//", 1)[0]
                if layer not in ("platform", None) and WINDOWING_NAMES.search(code):
                    problems.append(f"{where}: only platform/ may name GLFW/X11/GLX ({WINDOWING_NAMES.search(code).group(0)})")
    return problems


def main():
    source_dir = sys.argv[1] if len(sys.argv) > 1 else os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    problems = check(source_dir)
    for p in problems:
        print(p)
    if problems:
        print(f"{len(problems)} layering violation(s); see app/gui/README.md")
        return 1
    print("app/gui layers: no upward include")
    return 0


if __name__ == "__main__":
    sys.exit(main())
