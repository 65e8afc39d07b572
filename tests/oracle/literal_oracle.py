"""Generates Python literal texts (fileConfig's args= and kwargs=) and what
CPython makes of them, for tests/literal_differential.rs.

    python3 literal_oracle.py SEED COUNT

Prints a JSON list of {"text", "value"} (value null when CPython refuses the
text). Texts without names go through ast.literal_eval; texts with the names
fileConfig's namespace offers (sys.stdout, handlers.*, level names) through
eval in vars(logging), as fileConfig does - these texts are generated here,
so evaluating them is safe. A value sawmill refuses by design (integers past
64 bits, bytes, complex, sets, \\N escapes, lone surrogates) is marked
"departure": sawmill must refuse it.
"""

import ast
import json
import logging
import logging.handlers
import random
import struct
import sys
import warnings

NAMES = [
    "sys.stdout", "sys.stderr", "DEBUG", "INFO", "WARN", "WARNING", "ERROR", "CRITICAL",
    "FATAL", "NOTSET", "handlers.SYSLOG_UDP_PORT", "handlers.SYSLOG_TCP_PORT",
    "handlers.DEFAULT_TCP_LOGGING_PORT", "handlers.DEFAULT_UDP_LOGGING_PORT",
    "handlers.DEFAULT_HTTP_LOGGING_PORT", "handlers.SysLogHandler.LOG_USER",
    "handlers.SysLogHandler.LOG_LOCAL7", "handlers.SysLogHandler.LOG_DAEMON",
    "handlers.SysLogHandler.LOG_ERR", "handlers.SysLogHandler.LOG_AUTHPRIV",
    "handlers.socket.SOCK_DGRAM", "handlers.socket.SOCK_STREAM", "handlers.socket.AF_INET",
    "handlers.socket.AF_UNIX", "True", "False", "None",
]

STR_CHARS = ["a", "b", "Z", "0", " ", "%", "é", "€", "😀", "\t", "'", '"', "\\\\", "\\n",
             "\\t", "\\x41", "\\x7f", "\\u00e9", "\\U0001F600", "\\101", "\\0", "\\q",
             "\\'", '\\"', "\\a", "\\v", "\\f", "\\r", "\\ud800", "\\N{BULLET}", "\\777",
             "\\\n", "{", "}", "#", ","]


class Gen:
    def __init__(self, rng):
        self.r = rng

    def string(self):
        r = self.r
        prefix = r.choice(["", "", "", "r", "u", "R", "U", "b", "f", "rb"])
        quote = r.choice(["'", '"', "'''", '"""'])
        body = []
        for _ in range(r.randint(0, 6)):
            c = r.choice(STR_CHARS)
            if c == "\\\n" and len(quote) == 1 and "r" in prefix.lower():
                c = "x"
            if c in ("'", '"') and len(quote) == 1:
                c = "\\" + c
            body.append(c)
        text = "".join(body)
        if len(quote) == 3 and text.endswith(quote[0]):
            text += "x"
        if "r" in prefix.lower() and text.endswith("\\"):
            text += "x"
        if r.random() < 0.1 and len(quote) == 3:
            text += "\nline"
        s = prefix + quote + text + quote
        if r.random() < 0.15:
            s += r.choice(["", " ", "\t"]) + self.string()
        return s

    def number(self):
        r = self.r
        k = r.randint(0, 11)
        if k == 0:
            s = str(r.randint(0, 10))
        elif k == 1:
            s = str(r.randint(0, 2 ** 64))
        elif k == 2:
            s = hex(r.randint(0, 2 ** 65))
        elif k == 3:
            s = "0o%o" % r.randint(0, 4096)
        elif k == 4:
            s = "0b" + bin(r.randint(0, 64))[2:]
        elif k == 5:
            s = repr(r.uniform(-1e6, 1e6)).lstrip("-")
        elif k == 6:
            s = "%de%d" % (r.randint(0, 99), r.randint(-400, 400))
        elif k == 7:
            s = r.choice(["1_000", "0x_ff", "1__0", "1_", "00", "007", "0.5e-3", ".5", "5.", "1.e5",
                          "1e", "9223372036854775807", "9223372036854775808", "2j", "1.5J",
                          "0_0", "1E+5", "0b2", "0o8", "1_0.0_1"])
        elif k == 8:
            s = str(r.choice([2 ** 63 - 1, 2 ** 63, 2 ** 63 + 1, 2 ** 31]))
        else:
            s = str(r.randint(0, 100000))
        if r.random() < 0.3:
            s = r.choice(["-", "+", "- ", "-("]) + s + ("" if not s.startswith("(") else "")
            if s.startswith("-("):
                s += ")"
        return s

    def value(self, depth=0):
        r = self.r
        k = r.randint(0, 9 if depth < 4 else 4)
        if k <= 1:
            return self.string()
        if k == 2:
            return self.number()
        if k == 3:
            return r.choice(NAMES)
        if k == 4:
            return r.choice(["True", "False", "None", "()", "[]", "{}"])
        if k in (5, 6):
            items = [self.value(depth + 1) for _ in range(r.randint(0, 4))]
            sep = r.choice([", ", ",", " , ", ",\n  "])
            t = sep.join(items)
            if len(items) == 1 or r.random() < 0.2:
                t += ","
            return "(" + t + ")"
        if k == 7:
            items = [self.value(depth + 1) for _ in range(r.randint(0, 4))]
            return "[" + ", ".join(items) + "]"
        if k == 8:
            items = []
            for _ in range(r.randint(0, 3)):
                key = r.choice([self.string(), self.number(), "True", "None", "(1, 'a')", "[1]"])
                items.append(key + r.choice([": ", ":", " : "]) + self.value(depth + 1))
            return "{" + ", ".join(items) + "}"
        return self.string()

    def text(self):
        r = self.r
        t = self.value()
        k = r.random()
        if k < 0.1:
            t = t + ", " + self.value()
        elif k < 0.15:
            t = " \t" + t + "  # comment"
        elif k < 0.2:
            t = t + "\n"
        elif k < 0.45:
            t = self.mutate(t)
        return t

    def mutate(self, t):
        r = self.r
        ops = ["delete", "insert", "call", "op", "attr"]
        op = r.choice(ops)
        if op == "delete" and t:
            i = r.randrange(len(t))
            return t[:i] + t[i + 1:]
        if op == "insert":
            i = r.randint(0, len(t))
            return t[:i] + r.choice(list("()[]{},:'\"\\.-+*xj_0#\n ")) + t[i:]
        if op == "call":
            return r.choice(["__import__('os').system('true')", "open('x')", "len(%s)" % t,
                             "set()", "{1, 2}", "os.getcwd()", "print", "sys.stdout.write",
                             "handlers.SysLogHandler", "sys", "lambda: 1"])
        if op == "op":
            return t + r.choice([" + 1", " * 2", " - 1j", "[0]", ".x", " if 1 else 2"])
        return "x." + t


def encode(v):
    if v is None:
        return {"t": "none"}
    if v is sys.stdout:
        return {"t": "stream", "v": "stdout"}
    if v is sys.stderr:
        return {"t": "stream", "v": "stderr"}
    if isinstance(v, bool):
        return {"t": "bool", "v": v}
    if isinstance(v, int):
        if not -2 ** 63 <= v < 2 ** 63:
            raise Departure()
        return {"t": "int", "v": str(v)}
    if isinstance(v, float):
        return {"t": "float", "v": str(struct.unpack("<Q", struct.pack("<d", v))[0])}
    if isinstance(v, str):
        try:
            v.encode("utf-8")
        except UnicodeEncodeError:
            raise Departure()
        return {"t": "str", "v": v}
    if isinstance(v, tuple):
        return {"t": "tuple", "v": [encode(x) for x in v]}
    if isinstance(v, list):
        return {"t": "list", "v": [encode(x) for x in v]}
    if isinstance(v, dict):
        return {"t": "dict", "v": [[encode(k), encode(x)] for k, x in v.items()]}
    raise Departure()


class Departure(Exception):
    pass


def oracle(text):
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            try:
                value = ast.literal_eval(text)
            except ValueError:
                tree = ast.parse(text.lstrip(" \t"), mode="eval")
                # Only the names above, attribute chains of them, and literals.
                for node in ast.walk(tree):
                    if isinstance(node, ast.Name) and node.id not in ("sys", "handlers") and \
                            node.id not in NAMES:
                        raise ValueError("name")
                    if not isinstance(node, (ast.Expression, ast.Constant, ast.Tuple, ast.List,
                                             ast.Dict, ast.Name, ast.Attribute, ast.Load,
                                             ast.UnaryOp, ast.USub, ast.UAdd)):
                        raise ValueError("node")
                    if isinstance(node, ast.Attribute) and ast.unparse(node) not in NAMES and \
                            ast.unparse(node) not in ("handlers.SysLogHandler", "handlers.socket"):
                        raise ValueError("attr")
                    if isinstance(node, ast.UnaryOp) and not (
                            isinstance(node.operand, ast.Constant)
                            and type(node.operand.value) in (int, float)):
                        raise ValueError("unary")
                value = eval(compile(tree, "<args>", "eval"), vars(logging))
    except (ValueError, SyntaxError, TypeError, MemoryError, RecursionError, AttributeError):
        return {"value": None}
    if named_escape(text) or refused_by_design(text):
        return {"value": None, "departure": True}
    try:
        return {"value": encode(value)}
    except Departure:
        return {"value": None, "departure": True}


def refused_by_design(text):
    """Whether the text holds a part sawmill refuses by design, even one a
    repeated dict key drops from the value."""
    tree = ast.parse(text.lstrip(" \t"), mode="eval")
    negated = {id(n.operand) for n in ast.walk(tree)
               if isinstance(n, ast.UnaryOp) and isinstance(n.op, ast.USub)}
    for node in ast.walk(tree):
        if isinstance(node, (ast.Set, ast.JoinedStr, ast.Call)):
            return True
        if isinstance(node, ast.Constant):
            v = node.value
            if isinstance(v, (bytes, complex)):
                return True
            if isinstance(v, int) and not isinstance(v, bool) and (
                    v > 2 ** 63 or (v == 2 ** 63 and id(node) not in negated)):
                return True
            if isinstance(v, str):
                try:
                    v.encode("utf-8")
                except UnicodeEncodeError:
                    return True
    return False


def named_escape(text):
    """Whether a non-raw string of the text has a \\N{...} escape."""
    import io
    import tokenize
    try:
        for tok in tokenize.generate_tokens(io.StringIO(text.lstrip(" \t")).readline):
            if tok.type == tokenize.STRING:
                prefix = tok.string[:tok.string.index(tok.string.lstrip("rRuUbBfF")[0])]
                if "r" not in prefix.lower() and "\\N{" in tok.string:
                    return True
    except (tokenize.TokenError, SyntaxError, IndentationError):
        pass
    return False


def main():
    seed, count = int(sys.argv[1]), int(sys.argv[2])
    g = Gen(random.Random(seed))
    out = []
    for _ in range(count):
        t = g.text()
        res = oracle(t)
        res["text"] = t
        out.append(res)
    json.dump(out, sys.stdout)


main()
