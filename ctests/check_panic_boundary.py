"""Fails if an exported function of src/ffi does not run inside the panic
boundary. A function counts as a boundary when its body calls catch_unwind
or (transitively) another function of src/ffi that does."""
import pathlib
import re
import sys

FN = re.compile(r"\bfn\s+(\w+)")
EXPORT = re.compile(r'#\[no_mangle\]\s*pub\s+(?:unsafe\s+)?extern\s+"C"\s+fn\s+(\w+)')


def body(text, at):
    start = text.index("{", at)
    depth = 0
    for i in range(start, len(text)):
        depth += {"{": 1, "}": -1}.get(text[i], 0)
        if depth == 0:
            return text[start : i + 1]
    raise ValueError("unbalanced braces")


bodies, exports = {}, []
for path in sorted(pathlib.Path(sys.argv[1]).glob("*.rs")):
    text = path.read_text(encoding="utf-8")
    for m in FN.finditer(text):
        # Same-named functions (trait methods) must all qualify.
        bodies.setdefault(m.group(1), []).append(body(text, m.end()))
    exports += [(path.name, m.group(1)) for m in EXPORT.finditer(text)]


def calls(text, names):
    return any(re.search(rf"\b{n}\s*(::<[^>]*>)?\s*\(", text) for n in names)


guarded = {"catch_unwind"}
while True:
    more = {
        name
        for name, texts in bodies.items()
        if name not in guarded and all(calls(t, guarded) for t in texts)
    }
    if not more:
        break
    guarded |= more
missing = [f"{file}: {name}" for file, name in exports if name not in guarded]
if missing:
    print("exports without a panic boundary:\n  " + "\n  ".join(missing))
    sys.exit(1)
print(f"all {len(exports)} exports run inside the panic boundary")
