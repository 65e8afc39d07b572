"""Checks sawmill.JSONFormatter lines against CPython's json module.

stdin: pairs of lines: a formatted record, then what the record held
(tab-separated: ensure_ascii flag, nan mode, then key/value tokens with
text as hex of the ORIGINAL bytes, floats as their IEEE bits). Each line
must parse with json.loads, equal the record (invalid UTF-8 decoded with
'replace', NaN/inf per the documented mapping) and equal json.dumps of it.
"""
import json
import math
import struct
import sys


def text(h):
    return bytes.fromhex(h).decode("utf-8", "replace")


def value(tok):
    kind, _, rest = tok.partition(":")
    if kind == "s":
        return text(rest)
    if kind == "i":
        return int(rest)
    if kind == "f":
        return struct.unpack(">d", bytes.fromhex(rest))[0]
    if kind == "b":
        return rest == "1"
    if kind == "n":
        return None
    raise ValueError(tok)


def same(a, b):
    if isinstance(a, float) and isinstance(b, float) and math.isnan(a):
        return math.isnan(b)
    return type(a) is type(b) and a == b


lines = sys.stdin.read().split("\n")
checked = 0
for i in range(0, len(lines) - 1, 2):
    line, truth = lines[i], lines[i + 1]
    toks = truth.split("\t")
    ensure_ascii, nan = toks[0] == "1", toks[1]
    expected = {}
    for tok in toks[2:]:
        k, _, v = tok.partition("=")
        v = value(v)
        if nan == "null" and isinstance(v, float) and not math.isfinite(v):
            v = None
        expected[text(k)] = v
    got = json.loads(line)
    assert list(got) == list(expected), (i, line, expected)
    for k in expected:
        assert same(expected[k], got[k]), (i, k, line, expected[k], got[k])
    assert json.dumps(expected, ensure_ascii=ensure_ascii) == line, (i, line)
    checked += 1
print(checked)
