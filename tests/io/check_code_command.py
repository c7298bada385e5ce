#!/usr/bin/env python3
"""`im2col-lab code` as a user meets it: bad flags give one line naming the flag,
exit status 2 and nothing on stdout; --out writes exactly what stdout would show.

usage: check_code_command.py IM2COL_LAB
"""
import os
import subprocess
import sys
import tempfile

failures = []


def run(exe, *args):
    return subprocess.run([exe, *args], capture_output=True, text=True, timeout=120)


def expect_usage_error(exe, args, needle):
    result = run(exe, *args)
    label = "code " + " ".join(args)
    if result.returncode != 2:
        failures.append(f"{label}: exit status {result.returncode}, expected 2")
    if result.stdout:
        failures.append(f"{label}: wrote to stdout: {result.stdout[:200]!r}")
    lines = result.stderr.strip().splitlines()
    if len(lines) != 1 or needle not in lines[0]:
        failures.append(f"{label}: expected one line containing {needle!r} on stderr, got {result.stderr!r}")


def main():
    exe = sys.argv[1]
    expect_usage_error(exe, ["code", "--lang", "fortran"],
                       "--lang: expected numpy, pytorch or octave, got 'fortran'")
    expect_usage_error(exe, ["code"], "--lang")
    expect_usage_error(exe, ["code", "--lang", "numpy", "--kernel", "0"], "--kernel")
    expect_usage_error(exe, ["code", "--lang", "numpy", "--height", "2", "--kernel", "5"], "kernel")

    printed = run(exe, "code", "--lang", "pytorch", "--preset", "padding1", "--stride", "2")
    if printed.returncode != 0 or not printed.stdout.startswith("#!/usr/bin/env python3\n"):
        failures.append(f"code --lang pytorch: status {printed.returncode}, stderr {printed.stderr!r}")
    if "im2col-lab code --lang pytorch --preset padding1 --stride 2" not in printed.stdout:
        failures.append("the script does not quote the command that made it")
    with tempfile.TemporaryDirectory(prefix="im2col-code-out-") as directory:
        path = os.path.join(directory, "conv.py")
        written = run(exe, "code", "--lang", "pytorch", "--preset", "padding1", "--stride", "2", "--out", path)
        if written.returncode != 0 or written.stdout:
            failures.append(f"--out: status {written.returncode}, stdout {written.stdout[:100]!r}, "
                            f"stderr {written.stderr!r}")
        elif open(path).read() != printed.stdout:
            failures.append("--out wrote something else than stdout shows")
        missing_dir = run(exe, "code", "--lang", "numpy", "--out", os.path.join(directory, "no", "such", "x.py"))
        if missing_dir.returncode != 1 or "no/such/x.py" not in missing_dir.stderr:
            failures.append(f"--out into a missing directory: status {missing_dir.returncode}, "
                            f"stderr {missing_dir.stderr!r}")

    if failures:
        print("FAIL:\n  " + "\n  ".join(failures))
        sys.exit(1)
    print("OK: bad flags give exit 2 and one line; --out writes what stdout shows")


if __name__ == "__main__":
    main()
