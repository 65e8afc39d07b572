"""Runs the Node.js example (rotating.js: libsawmill through koffi, no C
glue) and checks the files its RotatingFileHandler left against CPython's
RotatingFileHandler given the same records, maxBytes and backupCount:
the same file names with the same bytes. Then, on sawmill's files alone:
several rollovers happened, no file over maxBytes, every line whole, and
read from the oldest backup to the live file, every record exactly once,
in order.

  check_rotating.py LIBSAWMILL_SO"""
import logging
import logging.handlers
import os
import re
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
RECORDS, MAX_BYTES, BACKUPS = 3000, 4096, 100


def message(i):
    """rotating.js's message(i)."""
    accents = " h\u00e9llo \u2713" if i % 7 == 0 else ""
    return f"record {i}{accents} {'x' * (i % 41)}"


def cpython_files(directory):
    handler = logging.handlers.RotatingFileHandler(
        os.path.join(directory, "app.log"), "a", MAX_BYTES, BACKUPS, encoding="utf-8")
    handler.setFormatter(logging.Formatter("%(message)s"))
    logger = logging.getLogger("node.rotating")
    logger.propagate = False
    logger.setLevel(logging.DEBUG)
    logger.addHandler(handler)
    for i in range(RECORDS):
        logger.info(message(i))
    handler.close()
    return read_all(directory)


def read_all(directory):
    files = {}
    for name in os.listdir(directory):
        with open(os.path.join(directory, name), "rb") as f:
            files[name] = f.read()
    return files


def backup_index(name):
    m = re.fullmatch(r"app\.log(?:\.(\d+))?", name)
    if m is None:
        sys.exit(f"unexpected file {name}")
    return int(m.group(1) or 0)


def main():
    library = os.path.abspath(sys.argv[1])
    with tempfile.TemporaryDirectory() as ours, tempfile.TemporaryDirectory() as theirs:
        proc = subprocess.run(
            ["node", os.path.join(HERE, "rotating.js"), library, os.path.join(ours, "app.log"),
             str(RECORDS), str(MAX_BYTES), str(BACKUPS)],
            capture_output=True, text=True, timeout=60)
        if proc.returncode != 0:
            sys.exit(f"rotating.js failed ({proc.returncode}): {proc.stdout}{proc.stderr}")
        got, want = read_all(ours), cpython_files(theirs)
    if sorted(got) != sorted(want):
        sys.exit(f"files differ from CPython's: {sorted(got)} vs {sorted(want)}")
    for name in sorted(got, key=backup_index):
        if got[name] != want[name]:
            sys.exit(f"{name} differs from CPython's")
    if len(got) < 10:
        sys.exit(f"only {len(got)} files: not enough rollovers")
    lines = []
    for name in sorted(got, key=backup_index, reverse=True):
        data = got[name]
        if len(data) > MAX_BYTES or not data.endswith(b"\n"):
            sys.exit(f"{name}: {len(data)} bytes, ends {data[-20:]!r}")
        lines += data.decode("utf-8").splitlines()
    if lines != [message(i) for i in range(RECORDS)]:
        sys.exit("records lost, repeated or out of order")
    print(f"{proc.stdout.strip()}; {len(got)} files equal to CPython's, "
          f"{len(lines)} records in order, none lost")


main()
