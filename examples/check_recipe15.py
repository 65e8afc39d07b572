"""Runs cookbook recipe 15 (one-line exception formatting) in C or C++ and
CPython and compares the output.txt files: exactly two lines each, equal
once the dates and the traceback's file, line and function are masked
(the C function is recipe15_run, the tour's entry point; Python's is main).

  check_recipe15.py BINARY ORACLE.py [--last-line-only]

--last-line-only: the program logs only the exception's "Type: what()"
(C++'s Logger::exception), so CPython's traceback is masked down to its
last line, the same text."""
import re
import subprocess
import sys
import tempfile


def output(command):
    with tempfile.TemporaryDirectory() as workdir:
        proc = subprocess.run(command + [workdir], capture_output=True, text=True, timeout=60)
        if proc.returncode != 0 or proc.stdout or proc.stderr:
            sys.exit(f"{command} failed ({proc.returncode}): {proc.stdout}{proc.stderr}")
        with open(f"{workdir}/output.txt", encoding="utf-8") as f:
            return f.read()


def mask(text, last_line_only):
    text = re.sub(r"\d\d/\d\d/\d{4} \d\d:\d\d:\d\d", "<DATE>", text)
    text = re.sub(r'File \\?"[^"\\]*\\?", line \d+, in \w+', 'File "<FILE>", line <N>, in <F>', text)
    if last_line_only:
        text = re.sub(r"'Traceback \(most recent call last\):\\n.*\\n(\w+: [^'\\]*)'", r"'\1'", text)
    return text


def main():
    binary, oracle = sys.argv[1], sys.argv[2]
    last_line_only = "--last-line-only" in sys.argv[3:]
    got, want = output([binary]), output([sys.executable, oracle])
    for name, text in (("sawmill", got), ("CPython", want)):
        if len(text.splitlines()) != 2 or not text.endswith("|\n"):
            sys.exit(f"{name}: expected exactly two lines ending in '|':\n{text}")
    if mask(got, last_line_only) != mask(want, last_line_only):
        sys.exit(f"differs from CPython:\n--- CPython\n{want}--- sawmill\n{got}")
    print("ok")


main()
