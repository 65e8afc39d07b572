"""Runs a cookbook script under CPython's logging and under sawmill (import
lines changed, nothing else) and returns both outputs, masked."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tempfile
from typing import Dict, Tuple

IMPORTS = [
    (re.compile(r"^import logging, logging\.handlers$", re.M), "import sawmill as logging, sawmill.handlers"),
    (re.compile(r"^import logging$", re.M), "import sawmill as logging"),
    (re.compile(r"^import logging\.(\w+)$", re.M), r"import sawmill.\1"),
    (re.compile(r"^from logging\.(\w+) import ", re.M), r"from sawmill.\1 import "),
    (re.compile(r"^from logging import ", re.M), "from sawmill import "),
]

MASKS = [
    (re.compile(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3}"), "<asctime>"),
    (re.compile(r"\d\d/\d\d/\d{4} \d\d:\d\d:\d\d"), "<date>"),
    (re.compile(r"\d\d-\d\d \d\d:\d\d"), "<date>"),
]


def to_sawmill(source: str) -> str:
    for pattern, replacement in IMPORTS:
        source = pattern.sub(replacement, source)
    return source


def mask(text: str) -> str:
    for pattern, replacement in MASKS:
        text = pattern.sub(replacement, text)
    return text


def run(script: str, python: str, args: Tuple[str, ...] = (), sawmill: bool = False,
        env: Dict[str, str] | None = None) -> Dict[str, str]:
    """Runs ``script`` (a copy, with the same file name, so tracebacks match)
    and returns stdout, stderr and every file it wrote into its argument."""
    with open(script) as f:
        source = f.read()
    if sawmill:
        source = to_sawmill(source)
    with tempfile.TemporaryDirectory() as tmp:
        code_dir = os.path.join(tmp, "code")
        out_dir = os.path.join(tmp, "out")
        os.makedirs(code_dir)
        os.makedirs(out_dir)
        path = os.path.join(code_dir, os.path.basename(script))
        with open(path, "w") as f:
            f.write(source)
        full_env = dict(os.environ)
        full_env.pop("PYTHONUNBUFFERED", None)  # stdout block-buffered, as usual in a pipe
        full_env.update(env or {})
        proc = subprocess.run([python, os.path.basename(script), out_dir, *args], cwd=code_dir,
                              capture_output=True, text=True, env=full_env, timeout=60)
        result = {"stdout": proc.stdout, "stderr": proc.stderr, "status": str(proc.returncode)}
        for name in sorted(os.listdir(out_dir)):
            with open(os.path.join(out_dir, name), errors="replace") as f:
                result["file " + name] = f.read()
        return {k: mask(v.replace(tmp, "<tmp>")) for k, v in result.items()}


if __name__ == "__main__":
    script = sys.argv[1]
    a = run(script, "python3")
    b = run(script, sys.executable, sawmill=True)
    for key in sorted(set(a) | set(b)):
        if a.get(key) != b.get(key):
            print("== %s differs\n-- cpython:\n%s\n-- sawmill:\n%s" % (key, a.get(key), b.get(key)))
    print("same" if a == b else "DIFFERENT")
