#!/usr/bin/env python3
"""Runs a script made by `im2col-lab code --lang LANG [selectors]` and compares
the numbers it computes itself (its last line, "JSON: {...}") with
`im2col-lab compute --format json [selectors]`.

Exit status: 0 when every matrix and tensor agrees, 1 when something differs or
fails, 77 (ctest SKIP_RETURN_CODE) when the language's interpreter or library is
not installed, with a message saying so.

usage: run_generated_code.py --exe IM2COL_LAB --lang numpy|pytorch|octave
                             [--python /usr/bin/python3] -- [selectors...]
"""
import argparse
import json
import math
import os
import shutil
import subprocess
import sys
import tempfile

SKIP = 77
# Keys the script's JSON line shares with `compute --format json`.
COMPARED_KEYS = ["x_col", "w_row", "y_mat", "output", "grad_x_col", "grad_input", "grad_weights", "grad_bias"]
# A transposed convolution has x_mat (the input as a matrix) instead of y_mat.
TRANSPOSED_KEYS = ["x_mat", "x_col", "w_row", "output", "grad_x_col", "grad_input", "grad_weights", "grad_bias"]


def fail(message):
    print("FAIL: " + message)
    sys.exit(1)


def skip(message):
    print("SKIPPED: " + message)
    sys.exit(SKIP)


def run(command, what, timeout=600):
    result = subprocess.run(command, capture_output=True, text=True, timeout=timeout)
    if result.returncode != 0:
        fail(f"{what} exited with {result.returncode}\ncommand: {' '.join(command)}\n"
             f"stdout (tail):\n{result.stdout[-3000:]}\nstderr (tail):\n{result.stderr[-3000:]}")
    return result.stdout


def interpreter_for(lang, python):
    """The command that runs a script of this language, or a skip when it is missing."""
    if lang == "octave":
        octave = shutil.which("octave-cli") or shutil.which("octave")
        if octave is None:
            skip("octave is not installed, so the Octave script is not run "
                 "(its structure is checked by io_code_gen_test)")
        return [octave, "--no-gui", "--quiet", "--norc"]
    module = {"numpy": "numpy", "pytorch": "torch"}[lang]
    # find_spec looks the module up without importing it (importing torch takes seconds).
    probe = subprocess.run([python, "-c", f"import importlib.util, sys; "
                            f"sys.exit(importlib.util.find_spec('{module}') is None)"],
                           capture_output=True, text=True)
    if probe.returncode != 0:
        skip(f"{python} has no module '{module}' (install python3-{module}), so the {lang} script is not run")
    return [python]


def json_line(stdout):
    lines = [line for line in stdout.splitlines() if line.startswith("JSON: ")]
    if len(lines) != 1:
        fail(f"expected exactly one 'JSON: ' line, found {len(lines)}\nstdout (tail):\n{stdout[-3000:]}")
    if not stdout.rstrip("\n").endswith(lines[0]):
        fail("the 'JSON: ' line is not the script's last line")
    return json.loads(lines[0][len("JSON: "):])


def compare(path, got, want, mismatches):
    """Same nesting and lengths exactly; numbers within a relative 1e-9 (the
    script sums in its own order)."""
    if isinstance(want, list):
        if not isinstance(got, list) or len(got) != len(want):
            mismatches.append(f"{path}: expected a list of {len(want)}, got "
                              f"{len(got) if isinstance(got, list) else type(got).__name__}")
            return
        for i, (g, w) in enumerate(zip(got, want)):
            compare(f"{path}[{i}]", g, w, mismatches)
            if len(mismatches) > 20:
                return
        return
    if not isinstance(got, (int, float)) or isinstance(got, bool):
        mismatches.append(f"{path}: expected a number, got {got!r}")
        return
    if not math.isclose(got, want, rel_tol=1e-9, abs_tol=1e-9):
        mismatches.append(f"{path}: script computed {got!r}, im2col-lab computed {want!r}")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--exe", required=True)
    parser.add_argument("--lang", required=True, choices=["numpy", "pytorch", "octave"])
    parser.add_argument("--python", default="/usr/bin/python3")
    parser.add_argument("selectors", nargs="*")
    args = parser.parse_args()

    interpreter = interpreter_for(args.lang, args.python)
    script = run([args.exe, "code", "--lang", args.lang] + args.selectors, "im2col-lab code")
    expected = json.loads(run([args.exe, "compute", "--format", "json"] + args.selectors, "im2col-lab compute"))

    suffix = ".m" if args.lang == "octave" else ".py"
    with tempfile.TemporaryDirectory(prefix="im2col-code-") as directory:
        path = os.path.join(directory, "im2col_" + args.lang + suffix)
        with open(path, "w") as f:
            f.write(script)
        stdout = run(interpreter + [path], f"the generated {args.lang} script")
    got = json_line(stdout)

    mismatches = []
    for key in ["layout", "order"]:
        if got.get(key) != expected.get(key):
            mismatches.append(f"{key}: script says {got.get(key)!r}, im2col-lab says {expected.get(key)!r}")
    keys = TRANSPOSED_KEYS if expected["shape"].get("op") == "transposed" else COMPARED_KEYS
    for key in keys:
        if key not in got:
            mismatches.append(f"{key}: missing from the script's JSON line")
        elif key not in expected:
            mismatches.append(f"{key}: missing from compute --format json")
        else:
            compare(key, got[key], expected[key], mismatches)
    if mismatches:
        fail(f"{args.lang} script disagrees with im2col-lab for {' '.join(args.selectors)}:\n  " +
             "\n  ".join(mismatches[:20]))
    shape = expected["shape"]
    print(f"OK: {args.lang} script agrees on {', '.join(keys)} "
          f"(x_col {len(got['x_col'])} x {len(got['x_col'][0])}, layout {got['layout']}, order {got['order']}, "
          f"batch {shape['batch']}, kernel {shape['kernel']}, stride {shape['stride']}, "
          f"padding {shape['padding']}, dilation {shape['dilation']}, groups {shape['groups']}, op {shape['op']})")


if __name__ == "__main__":
    main()
