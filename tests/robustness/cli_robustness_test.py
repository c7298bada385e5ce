#!/usr/bin/env python3
"""The real im2col-lab binary against hostile conditions and input.

    cli_robustness_test.py --exe PATH/im2col-lab

(c) `presets`, `compute`, `timeline` and `code` need no display; the window, `render`
    and `bench --gui` without a display exit 1 with a clear message, never a crash.
(d) shapes whose X_col would exceed 256 MB are refused with exit 2 and a message that
    names the size; non-finite and huge values are refused; nothing is printed on
    stdout for refused input.
(a) a `code --out` save killed between the temporary write and the rename
    (IM2COL_LAB_TEST_ABORT_AFTER_TEMP_WRITE=1) leaves the old file intact.
With a display (DISPLAY set, e.g. under xvfb-run), `render` gets extreme sizes,
steps and font scales and must answer 0 or 2, never crash.
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile
import unittest

EXE = None
CRASH_MARKERS = ("AddressSanitizer", "runtime error:", "LeakSanitizer", "Segmentation fault", "core dumped",
                 "terminate called", "Assertion", "Aborted")


def run(args, env_changes=None, unset=(), timeout=300, stdin=None):
    env = dict(os.environ)
    for name in unset:
        env.pop(name, None)
    env.update(env_changes or {})
    return subprocess.run([EXE] + list(args), env=env, capture_output=True, text=True, timeout=timeout,
                          stdin=subprocess.DEVNULL if stdin is None else stdin)


def headless(args, **kwargs):
    """Runs with no display at all (no X11, no Wayland)."""
    return run(args, unset=("DISPLAY", "WAYLAND_DISPLAY"), **kwargs)


def tail(text, limit=1500):
    """The end of a long stderr (a sanitizer's stack trace can be thousands of lines)."""
    return text if len(text) <= limit else "...\n" + text[-limit:]


def has_display():
    return bool(os.environ.get("DISPLAY"))


class CrashFree(unittest.TestCase):
    def assertNoCrash(self, result, what):
        self.assertGreaterEqual(result.returncode, 0, f"{what}: killed by signal {-result.returncode}\n{tail(result.stderr)}")
        for marker in CRASH_MARKERS:
            if marker in result.stderr:
                self.fail(f"{what}: stderr mentions {marker!r} (exit {result.returncode}):\n{tail(result.stderr)}")

    def assertRefused(self, result, what, *needles):
        """Exit 2, nothing on stdout, one 'error:' line on stderr containing every needle."""
        self.assertNoCrash(result, what)
        self.assertEqual(result.returncode, 2, f"{what}: exit {result.returncode}\n{result.stderr}")
        self.assertEqual(result.stdout, "", f"{what}: printed on stdout despite the error")
        lines = result.stderr.rstrip("\n").split("\n")
        self.assertEqual(len(lines), 1, f"{what}: message is not one line:\n{result.stderr}")
        self.assertTrue(lines[0].startswith("error: "), f"{what}: {lines[0]}")
        for needle in needles:
            self.assertIn(needle, lines[0], f"{what}: message does not say {needle!r}")


class NoDisplayNeeded(CrashFree):
    """(c) headless subcommands, and a clear exit 1 for what needs a window."""

    def test_presets_without_display(self):
        result = headless(["presets"])
        self.assertNoCrash(result, "presets")
        self.assertEqual(result.returncode, 0, result.stderr)
        for name in ("chapter-4x4x3", "smaller-3x3-by-2x2", "alexnet-conv1"):
            self.assertIn(name, result.stdout)

    def test_compute_without_display(self):
        result = headless(["compute", "--format", "json"])
        self.assertNoCrash(result, "compute")
        self.assertEqual(result.returncode, 0, result.stderr)
        doc = json.loads(result.stdout)
        self.assertEqual((len(doc["x_col"]), len(doc["x_col"][0])), (12, 9))  # the chapter's X_col 12 x 9
        self.assertEqual(doc["shape"]["out_height"], 3)

    def test_compute_alexnet_without_display(self):
        result = headless(["compute", "--preset", "alexnet-conv1", "--format", "json"])
        self.assertNoCrash(result, "compute alexnet")
        self.assertEqual(result.returncode, 0, result.stderr)
        doc = json.loads(result.stdout)
        self.assertEqual((len(doc["x_col"]), len(doc["x_col"][0])), (363, 3025))

    def test_timeline_and_code_without_display(self):
        for args in (["timeline", "--format", "json", "--preset", "smaller-3x3-by-2x2"],
                     ["code", "--lang", "numpy"]):
            result = headless(args)
            self.assertNoCrash(result, " ".join(args))
            self.assertEqual(result.returncode, 0, result.stderr)
            self.assertNotEqual(result.stdout, "")

    def check_window_refused(self, result, what):
        self.assertNoCrash(result, what)
        self.assertEqual(result.returncode, 1, f"{what}: exit {result.returncode}\n{result.stderr}")
        self.assertIn("display", result.stderr.lower(), f"{what}: message does not mention the display")
        self.assertIn("xvfb-run", result.stderr, f"{what}: message does not say how to run headless")

    def test_window_with_empty_display_exits_1(self):
        self.check_window_refused(run([], env_changes={"DISPLAY": ""}, unset=("WAYLAND_DISPLAY",), timeout=60),
                                  "DISPLAY= im2col-lab")

    def test_window_with_no_display_variable_exits_1(self):
        self.check_window_refused(headless([], timeout=60), "im2col-lab without DISPLAY")

    def test_window_with_a_display_that_does_not_exist_exits_1(self):
        self.check_window_refused(run([], env_changes={"DISPLAY": ":4321"}, unset=("WAYLAND_DISPLAY",), timeout=60),
                                  "DISPLAY=:4321 im2col-lab")

    def test_render_without_display_exits_1_and_writes_nothing(self):
        with tempfile.TemporaryDirectory() as tmp:
            out = os.path.join(tmp, "frame.png")
            result = headless(["render", "--out", out], timeout=60)
            self.check_window_refused(result, "render without display")
            self.assertFalse(os.path.exists(out), "render wrote a file without a display")
            self.assertEqual(os.listdir(tmp), [])

    def test_bench_gui_without_display_exits_1(self):
        self.check_window_refused(headless(["bench", "--gui", "--frames", "3"], timeout=60), "bench --gui")


class SettingsAtStartUp(CrashFree):
    """(b) the window reads $XDG_CONFIG_HOME/im2col-lab/settings.json before it opens: a
    file that does not parse never crashes the start (the message it gets in the
    window's status line is checked by robustness_settings_test)."""

    def start_with_settings(self, text):
        with tempfile.TemporaryDirectory() as tmp:
            os.makedirs(os.path.join(tmp, "im2col-lab"))
            path = os.path.join(tmp, "im2col-lab", "settings.json")
            with open(path, "w") as f:
                f.write(text)
            result = run([], env_changes={"XDG_CONFIG_HOME": tmp}, unset=("DISPLAY", "WAYLAND_DISPLAY"), timeout=60)
            with open(path) as f:
                self.assertEqual(f.read(), text, "a start-up that failed rewrote the settings")
            return result, path

    def test_unparsable_settings_do_not_stop_the_start(self):
        for text in ('{"theme": "dark", "font_', "\x00\x01garbage", "[1, 2]", '{"window": {"width": 1e999}}'):
            result, _ = self.start_with_settings(text)
            self.assertNoCrash(result, f"settings {text!r}")
            self.assertEqual(result.returncode, 1, result.stderr)  # then no display, as without settings
            self.assertIn("no display", result.stderr)

    def test_deeply_nested_settings_do_not_crash_the_start(self):
        # Regression: quoting a value nested 100,000 deep overflowed the stack in io/settings.cpp.
        result, _ = self.start_with_settings("[" * 200000 + "]" * 200000)
        self.assertNoCrash(result, "settings nested 200,000 deep")
        self.assertEqual(result.returncode, 1, result.stderr)


class Limits(CrashFree):
    """(d) the 256 MB cap and non-finite values, through the real command line."""

    def test_x_col_over_256_mb_is_refused_naming_the_size(self):
        result = headless(["compute", "--height", "4096", "--width", "4096", "--channels", "64", "--kernel", "3"])
        self.assertRefused(result, "compute over the cap", "X_col", "576 x 16760836", "MB", "256 MB")

    def test_over_the_cap_through_every_subcommand(self):
        shape = ["--height", "2048", "--width", "2048", "--channels", "96", "--kernel", "3"]
        for command in (["compute"], ["timeline"], ["code", "--lang", "numpy"], ["bench", "--repeat", "1"]):
            self.assertRefused(headless(command + shape), " ".join(command), "X_col", "MB")

    def test_huge_and_non_integer_shape_flags(self):
        cases = [("--height", "99999999999999999999", "--height"), ("--kernel", "nan", "--kernel"),
                 ("--kernel", "inf", "--kernel"), ("--stride", "1e309", "--stride"), ("--padding", "-1", "--padding"),
                 ("--seed", "18446744073709551616", "--seed"), ("--dilation", "0x1", "--dilation"),
                 ("--batch", "", "--batch")]
        for flag, value, named in cases:
            self.assertRefused(headless(["compute", f"{flag}={value}"]), f"{flag}={value}", named)

    def test_non_finite_and_huge_values_in_a_scenario_file(self):
        shape = '"shape": {"channels": 1, "height": 2, "width": 2, "kernel": 1}'
        cases = [("1e309", "too large for a double"), ("NaN", "NaN"), ("-Infinity", "malformed JSON"),
                 ("1e13", "1e12"), ('"abc"', "expected a number"), ('""', "expected a number")]
        with tempfile.TemporaryDirectory() as tmp:
            for value, says in cases:
                path = os.path.join(tmp, "values.json")
                with open(path, "w") as f:
                    f.write('{%s, "input": {"values": [1, 2, %s, 4]}}' % (shape, value))
                result = headless(["compute", "--scenario", path])
                self.assertRefused(result, f"values {value}", path, "input.values[2]", says)

    def test_bench_and_render_numbers(self):
        self.assertRefused(headless(["bench", "--repeat", "0"]), "bench --repeat 0", "--repeat")
        self.assertRefused(headless(["bench", "--repeat", "nan"]), "bench --repeat nan", "--repeat")
        self.assertRefused(headless(["render", "--out", "x.png", "--font-scale", "nan"]), "render --font-scale nan",
                           "--font-scale")
        self.assertRefused(headless(["render", "--out", "x.png", "--size", "0x0"]), "render --size 0x0", "--size")


class KilledSave(CrashFree):
    """(a) through the real binary: `code --out` killed before its rename."""

    def test_killed_code_out_keeps_the_old_file(self):
        with tempfile.TemporaryDirectory() as tmp:
            path = os.path.join(tmp, "lesson.py")
            old = b"# the student's own notes, which must survive\nprint('hello')\n"
            with open(path, "wb") as f:
                f.write(old)
            result = headless(["code", "--lang", "numpy", "--out", path],
                              env_changes={"IM2COL_LAB_TEST_ABORT_AFTER_TEMP_WRITE": "1"})
            self.assertLess(result.returncode, 0, f"the save was not killed: exit {result.returncode}\n{result.stderr}")
            with open(path, "rb") as f:
                self.assertEqual(f.read(), old, "a killed save changed the old file")
            temps = [n for n in os.listdir(tmp) if n != "lesson.py"]
            self.assertEqual(len(temps), 1, f"expected one temporary file, found {temps}")
            self.assertTrue(temps[0].startswith(".lesson.py.tmp-"), temps)

            result = headless(["code", "--lang", "numpy", "--out", path])
            self.assertEqual(result.returncode, 0, result.stderr)
            with open(path, "rb") as f:
                self.assertNotEqual(f.read(), old)


@unittest.skipUnless(has_display(), "needs a display (run under xvfb-run)")
class RenderExtremes(CrashFree):
    """With a display: odd but well-formed render requests answer 0 or 2, never crash."""

    def test_render_extremes(self):
        cases = [["--step", "-5"], ["--step", "999999999999"], ["--size", "1x1"], ["--size", "64x8000"],
                 ["--font-scale", "0"], ["--font-scale", "100"], ["--font-scale", "-1"], ["--font-scale", "0.5"],
                 ["--font-scale", "3"], ["--theme", "neon"], ["--preset", "alexnet-conv1", "--step", "1099999"],
                 ["--kernel", "5", "--height", "3"]]
        with tempfile.TemporaryDirectory() as tmp:
            out = os.path.join(tmp, "frame.png")
            for extra in cases:
                result = run(["render", "--out", out, "--size", "640x360"] + extra, timeout=300)
                self.assertNoCrash(result, " ".join(extra))
                self.assertIn(result.returncode, (0, 2), f"{extra}: exit {result.returncode}\n{result.stderr}")
                if result.returncode == 2:
                    self.assertEqual(len(result.stderr.rstrip("\n").split("\n")), 1, result.stderr)


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--exe", required=True)
    args, rest = parser.parse_known_args()
    EXE = os.path.abspath(args.exe)
    unittest.main(argv=[sys.argv[0]] + rest, verbosity=2)
