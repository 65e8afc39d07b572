"""Fails unless null_sweep.c calls every function of sawmill.h with NULL for
each of its pointer arguments (one call per argument) and with invalid UTF-8
(`bad_utf8`) for each of its string arguments.

Wrappers the sweep needs (a va_list can only come from a variadic function)
are listed in ALIASES with the position each of their arguments has in the
wrapped function."""
import re
import sys

ALIASES = {
    "vlogf_call": ("sawmill_vlogf", {0: 0, 1: 2, 2: 4, 3: 5}),
    "adapter_vlogf_call": ("sawmill_adapter_vlogf", {0: 0, 1: 2, 2: 4, 3: 5}),
}


# String and character literals are matched first so that "http://x" or
# "/*" inside a literal is not taken for a comment.
TOKEN = re.compile(r'"(?:\\.|[^"\\\n])*"|\'(?:\\.|[^\'\\\n])*\'|/\*.*?\*/|//[^\n]*', re.S)


def strip_comments(text):
    return TOKEN.sub(lambda m: m.group(0) if m.group(0)[0] in "\"'" else " ", text)


def split_args(text, open_paren):
    """The top-level arguments of the call whose '(' is at open_paren.
    Commas and parentheses inside string literals are skipped."""
    depth, args, start = 0, [], open_paren + 1
    i = open_paren
    while i < len(text):
        c = text[i]
        if c in "([{":
            depth += 1
        elif c in ")]}":
            depth -= 1
            if depth == 0:
                args.append(text[start:i].strip())
                return [a for a in args if a]
        elif c == "," and depth == 1:
            args.append(text[start:i].strip())
            start = i + 1
        elif c == '"':
            i += 1
            while text[i] != '"':
                i += 2 if text[i] == "\\" else 1
        i += 1
    raise ValueError("unbalanced call")


def prototypes(header):
    text = strip_comments(header).replace("\\\n", " ")
    text = "\n".join(l for l in text.splitlines() if not l.lstrip().startswith("#"))
    protos = {}
    for m in re.finditer(r"[\w\*]\s*\b(sawmill_[a-z0-9_]+)\s*\(([^()]*)\)[^;{]*;", text):
        name, params = m.group(1), m.group(2).strip()
        plist = [] if params in ("", "void") else [p.strip() for p in params.split(",")]
        protos[name] = [
            ("*" in p or re.search(r"_fn\s+\w+$", p) is not None, "const char *" in p, p)
            for p in plist
            if p != "..."
        ]
    return protos


def calls(sweep):
    text = strip_comments(sweep)
    seen = {}
    for m in re.finditer(r"\b(sawmill_[a-z0-9_]+|" + "|".join(ALIASES) + r")\s*\(", text):
        name = m.group(1)
        # Skip the wrappers' own definitions.
        before = text[max(0, m.start() - 20) : m.start()]
        if name in ALIASES and re.search(r"\b(int|static)\s*$", before):
            continue
        args = split_args(text, m.end() - 1)
        if name in ALIASES:
            name, positions = ALIASES[name]
            args = {positions[i]: a for i, a in enumerate(args) if i in positions}
        else:
            args = dict(enumerate(args))
        entry = seen.setdefault(name, {})
        for i, a in args.items():
            entry.setdefault(i, set()).add(a)
    return seen


header, sweep = (open(p, encoding="utf-8").read() for p in sys.argv[1:3])
protos, seen = prototypes(header), calls(sweep)
problems = []
for name, params in sorted(protos.items()):
    if name not in seen:
        problems.append(f"{name}: never called")
        continue
    for i, (is_ptr, is_str, decl) in enumerate(params):
        used = seen[name].get(i, set())
        if is_ptr and "NULL" not in used:
            problems.append(f"{name}: argument {i + 1} ({decl}) never NULL")
        # An array of strings (const char *const *) is swept with an array
        # holding bad_utf8, named bad_utf8_array.
        # (Or named after it: argv_bad_utf8.)
        if is_str and not any(u in ("bad_utf8", "bad_utf8_array") or u.endswith("_bad_utf8") for u in used):
            problems.append(f"{name}: argument {i + 1} ({decl}) never invalid UTF-8")
if problems:
    print("null_sweep.c does not cover:\n  " + "\n  ".join(problems))
    sys.exit(1)
n_ptr = sum(p[0] for ps in protos.values() for p in ps)
print(f"all {len(protos)} functions of sawmill.h covered, {n_ptr} pointer arguments each NULL")
