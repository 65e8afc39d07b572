"""Generates INI texts and reads them with CPython's configparser as
fileConfig does (ConfigParser() with its defaults, read from a file as
UTF-8), for tests/ini_differential.rs.

    python3 ini_oracle.py SEED COUNT

Prints a JSON list of {"text", "error"} or {"text", "defaults", "sections"}:
defaults is [[option, raw]], sections [[name, [[option, raw, value]]]] with
every option cp.options() lists (DEFAULT's included) and value the
interpolated cp.get() or {"error": exception name}.
"""

import configparser
import json
import os
import random
import sys
import tempfile

SECTIONS = ["loggers", "handlers", "formatters", "logger_root", "handler_h", "formatter_f",
            "DEFAULT", "default", "Loggers", "a]b", " sp ", "x y", "é"]
NAMES = ["keys", "Keys", "KEYS", "level", "args", "class", "format", "base", "b", "x y", "É",
         "qualname", "propagate", "dir"]
VALUES = ["", "root", "DEBUG", "1", "%(base)s/a.log", "%%(message)s", "%(message)s", "50%",
          "%(b)s", "%(BASE)s", "%(nope)s", "%(", "%()s", "a=b", "x:y", "# not a comment",
          "v ; not a comment", "('%(dir)s/x.log', 'a')", "%(keys)s%(level)s", "é€😀",
          "%(args)s", "tab\there", " trailing ", "%%", "%(x y)s"]
SPACES = ["", " ", "  ", "\t", "\x0c", "\xa0", "\u3000", "\x1c", "\x85"]


def line(r):
    k = r.random()
    sp = r.choice(SPACES) if r.random() < 0.3 else ""
    if k < 0.15:
        return sp + "[" + r.choice(SECTIONS) + "]" + r.choice(["", "", " junk", "]"])
    if k < 0.6:
        name = r.choice(NAMES)
        delim = r.choice(["=", "=", ":", " = ", " : ", "\t=\t", "=="])
        return sp + name + delim + r.choice(VALUES)
    if k < 0.72:
        return r.choice(["  ", "    ", "\t", "\xa0 "]) + r.choice(VALUES + ["cont", "  x"])
    if k < 0.8:
        return ""
    if k < 0.86:
        return r.choice(["", "  ", "\t"]) + r.choice(["# comment", "; comment", "#", ";x=1"])
    if k < 0.9:
        return r.choice(["junk", "[]", "[", "=value", ": v", "  "])
    if k < 0.95:
        return r.choice(SPACES)
    return r.choice(NAMES) + "=" + r.choice(VALUES) + r.choice(["\r", "\x0b", "\u2028"]) + "z"


def text(r):
    lines = []
    if r.random() < 0.85:
        lines.append("[" + r.choice(SECTIONS) + "]")
    for _ in range(r.randint(0, 14)):
        lines.append(line(r))
    eol = r.choice(["\n", "\n", "\n", "\r\n", "\r"])
    t = eol.join(lines)
    if r.random() < 0.7:
        t += eol
    return t


def read(path):
    cp = configparser.ConfigParser()
    try:
        cp.read(path, encoding="utf-8")
    except configparser.Error as e:
        return {"error": type(e).__name__}
    defaults = [[k, v] for k, v in cp.defaults().items()]
    sections = []
    for s in cp.sections():
        opts = []
        for o in cp.options(s):
            raw = cp.get(s, o, raw=True)
            try:
                value = cp.get(s, o)
            except configparser.Error as e:
                value = {"error": type(e).__name__}
            opts.append([o, raw, value])
        sections.append([s, opts])
    return {"defaults": defaults, "sections": sections}


def main():
    seed, count = int(sys.argv[1]), int(sys.argv[2])
    r = random.Random(seed)
    out = []
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "c.ini")
        for _ in range(count):
            t = text(r)
            with open(path, "w", encoding="utf-8", newline="") as f:
                f.write(t)
            res = read(path)
            res["text"] = t
            out.append(res)
    json.dump(out, sys.stdout)


main()
