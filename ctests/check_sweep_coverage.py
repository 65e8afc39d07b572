"""Fails if a function declared in sawmill.h is never called in null_sweep.c."""
import re
import sys

header, sweep = (open(p, encoding="utf-8").read() for p in sys.argv[1:3])
declared = set()
for line in header.splitlines():
    if line.lstrip().startswith(("*", "/*", "#")):
        continue
    declared.update(re.findall(r"\b(sawmill_[a-z0-9_]+)\s*\(", line))
called = set(re.findall(r"\b(sawmill_[a-z0-9_]+)\s*\(", sweep))
missing = sorted(declared - called)
if missing:
    print("functions of sawmill.h not exercised by null_sweep.c:", ", ".join(missing))
    sys.exit(1)
print(f"all {len(declared)} functions of sawmill.h are exercised")
