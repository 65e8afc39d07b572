"""Runs one cookbook recipe's C program and checks what it printed and wrote.

  check_recipe.py BINARY [--oracle SCRIPT.py] [--expect KEY=FILE ...] [--threads]

KEY is `stdout`, `stderr` or the name of a file the program wrote into the
output directory it is given. Timestamps are masked before comparing. With
--oracle, the same recipe run by CPython must produce identical masked
output; --expect compares with the output the cookbook prints (transcribed
one record per line: the cookbook wraps long lines only for print). The
cookbook's sample for recipe 1 shows 'some_function' in single quotes while
its code has double quotes; CPython 3 prints the double quotes, as we do.
--threads checks recipe 2's shape: both threads, 6-wide relativeCreated,
non-decreasing per thread."""
import argparse
import os
import re
import subprocess
import sys
import tempfile


def mask(text):
    text = re.sub(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3}", "<ASCTIME>", text)
    return re.sub(r"\b\d\d-\d\d \d\d:\d\d\b", "<DATE>", text)


def run(command, workdir):
    proc = subprocess.run(command + [workdir], capture_output=True, text=True, timeout=60)
    if proc.returncode != 0:
        sys.exit(f"{command} failed ({proc.returncode}): {proc.stderr}")
    outputs = {"stdout": proc.stdout, "stderr": proc.stderr}
    for name in sorted(os.listdir(workdir)):
        with open(os.path.join(workdir, name), encoding="utf-8") as f:
            outputs[name] = f.read()
    return {k: mask(v) for k, v in outputs.items()}


def check_threads(stderr):
    pattern = re.compile(r"^( {0,5}\d+) (MainThread|Thread-1) (Hello from main|Hi from myfunc)$")
    last = {}
    lines = stderr.splitlines()
    for line in lines:
        m = pattern.match(line)
        if not m or len(m.group(1)) < 6:
            sys.exit(f"unexpected line: {line!r}")
        thread, value = m.group(2), int(m.group(1))
        want = "Hello from main" if thread == "MainThread" else "Hi from myfunc"
        if m.group(3) != want or value < last.get(thread, 0):
            sys.exit(f"out of order or mismatched: {line!r}")
        last[thread] = value
    if set(last) != {"MainThread", "Thread-1"} or len(lines) < 12:
        sys.exit(f"expected both threads and at least 12 lines, got {len(lines)}: {stderr}")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("binary")
    parser.add_argument("--oracle")
    parser.add_argument("--expect", action="append", default=[])
    parser.add_argument("--threads", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as ours, tempfile.TemporaryDirectory() as theirs:
        got = run([args.binary], ours)
        if args.threads:
            check_threads(got["stderr"])
        if args.oracle:
            want = run([sys.executable, args.oracle], theirs)
            if got != want:
                for key in sorted(set(got) | set(want)):
                    if got.get(key) != want.get(key):
                        print(f"--- {key}: CPython\n{want.get(key)}--- {key}: sawmill\n{got.get(key)}")
                sys.exit("sawmill's output differs from CPython's")
        for item in args.expect:
            key, path = item.split("=", 1)
            with open(path, encoding="utf-8") as f:
                expected = mask(f.read())
            if got.get(key) != expected:
                sys.exit(f"{key} differs from the cookbook:\n{expected}--- got:\n{got.get(key)}")
    print("ok")


main()
