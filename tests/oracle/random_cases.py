"""Seeded random formatter cases for the differential test (format_oracle.py
--random SEED COUNT). Cases have the schema of cases.json; extras and defaults
may hold non-finite floats, written as {"float": "inf" | "-inf" | "nan"}
because JSON has no literal for them.

The generator mixes valid and invalid formats of all three styles: fields
with flags, widths, precisions, conversions, grouping, fill and alignment,
attribute and index access, nested specs, literal text with non-ASCII and
escapes. Records vary level (custom and unnamed levels too), names, messages,
created/relativeCreated (tricky floats), lineno and typed extras.

About one case in five carries `record_changes`: a short list of
[attribute, value] pairs that a filter assigns on the record (setattr in
CPython, Record::set_attr in sawmill) before it is formatted: standard
attributes and extras, with values of every type."""
import math
import random
import struct

ZONES = ["America/New_York", "UTC", "Asia/Kolkata", "Australia/Lord_Howe", "Europe/London"]

STANDARD = ["name", "levelno", "levelname", "pathname", "filename", "module", "lineno",
            "funcName", "created", "msecs", "relativeCreated", "thread", "threadName",
            "process", "processName", "message", "asctime", "msg", "exc_text", "stack_info"]
EXTRA_KEYS = ["ip", "user", "count", "ratio", "flag", "nothing", "big", "neg", "tiny", "x",
              "área", "k_2", "_u"]

TRICKY_FLOATS = [0.0, -0.0, 0.1, 0.5, 1.5, 2.5, 1e16, 1e15, 9999999999999998.0, 1e22, 1e23,
                 5e-324, 2.2250738585072014e-308, 1.7976931348623157e308, 1e-5, 0.0001,
                 0.00001234, 100.0, 959.0, 999.5, 0.05, 123456.789, 168.003082275390625,
                 2.0 ** 63, -2.0 ** 63, 2.0 ** 64, 1e300, -1e-300, 3.141592653589793,
                 1234.5678, 0.3, 2.675, 1.0000000000000002, 4.35, 0.125, 12345678.9]

TEXTS = ["hi x", "", "naïve café — 日本語 ✓", "quote's \"both\" \\ back\ttab\nnew", "100% done",
         "it's", "a'b\"c", "{braces} $dollar %(pct)s", "\x00\x07\x7f\xa0\u200b\ufeff", "🎉 emoji",
         "ends with newline\n", "x" * 50, "ǅ Title", "\u0301 combining", "ß", "1234"]


def rand_float(rng):
    r = rng.random()
    if r < 0.4:
        return rng.choice(TRICKY_FLOATS) * rng.choice([1, 1, 1, -1])
    if r < 0.55:
        return rng.choice([math.inf, -math.inf, math.nan])
    if r < 0.75:
        # Any finite double, from random bits.
        while True:
            f = struct.unpack("<d", struct.pack("<Q", rng.getrandbits(64)))[0]
            if math.isfinite(f):
                return f
    if r < 0.9:
        return round(rng.uniform(-1e6, 1e6), rng.randint(0, 9))
    return rng.uniform(0, 10) * 10.0 ** rng.randint(-20, 25)


def rand_int(rng):
    r = rng.random()
    if r < 0.5:
        return rng.randint(-100, 5000)
    if r < 0.8:
        return rng.choice([0, 1, -1, 65, 0x10FFFF, 0x110000, 1114111, 2 ** 31, -2 ** 63,
                           2 ** 63 - 1, 12345678901234, -42, 1_000_000])
    return rng.randint(-2 ** 63, 2 ** 63 - 1)


def rand_text(rng):
    if rng.random() < 0.8:
        return rng.choice(TEXTS)
    # Any code points (no surrogates: UTF-8 cannot carry them), to probe
    # repr()'s printable rule across the Unicode tables.
    out = []
    for _ in range(rng.randint(1, 6)):
        top = rng.choice([0x80, 0x800, 0x3000, 0x10000, 0x110000])
        u = rng.randrange(top)
        out.append(chr(u if not 0xD800 <= u <= 0xDFFF else 0x41))
    return "".join(out)


def rand_value(rng):
    kind = rng.random()
    if kind < 0.3:
        return rand_text(rng)
    if kind < 0.55:
        return rand_int(rng)
    if kind < 0.8:
        return rand_float(rng)
    if kind < 0.9:
        return rng.choice([True, False])
    return None


def encode(value):
    if isinstance(value, float) and not math.isfinite(value):
        return {"float": repr(value)}
    return value


def rand_created(rng):
    r = rng.random()
    if r < 0.3:
        return rng.choice([1700000000.987654, 1710054000.1, 1699165800.999999, 1600000000.0000001,
                           1678604400.5, 1700000000.0, 1700000000.9995, 1711846800.25,
                           1730612400.0005, 946684799.999, 2147483647.999, 4102444800.123])
    if r < 0.9:
        return rng.uniform(1e9, 2e9)
    if r < 0.95:
        # Before 1970: negative msecs.
        return rng.choice([-1.5, -0.25, -86400.999, -1e9 - 0.5, -0.0005])
    return round(rng.uniform(0, 4e9), rng.randint(0, 7))


def rand_record(rng):
    levelno = rng.choice([10, 20, 30, 40, 50, 5, 15, 0, 25, 45, 1, 99])
    pathname = rng.choice(["/src/app/main.c", None, "relative/mod.tar.gz", "/.hidden", "/p/q.c",
                           "noext", "/dir.d/file", "/ü/ñ.py", "C:\\win\\x.c"])
    rec = dict(
        name=rng.choice(["root", "name.sub", "myapp.área", "x", "deep.a.b.c.d", "", "a b"]),
        levelno=levelno, pathname=pathname, lineno=rng.choice([0, 1, 42, 7, 1000, 65, 9]),
        funcName=rng.choice(["run", None, "main", "<module>", "f"]),
        msg=rand_text(rng), created=rand_created(rng),
        relativeCreated=rng.choice([rand_float(rng), rng.uniform(0, 1e7), 168.003082275390625,
                                    0.0, 1234.5678]),
        # Thread ids are unsigned (pthread_t): past 2^63 too.
        thread=rng.choice([140245, 0, 1, 2 ** 40 + 5, 2 ** 62, 2 ** 63, 2 ** 64 - 1,
                           0xFFFF_8000_1234_5678]),
        threadName=rng.choice(["MainThread", "Thread-1", "pool-é"]),
        process=rng.choice([4321, 0, 1, 2 ** 31 - 1]),
        processName=rng.choice(["MainProcess", "worker"]),
    )
    if pathname is None:
        rec["lineno"] = 0  # a record without a caller has line 0 (findCaller's default)
    if not math.isfinite(rec["relativeCreated"]):
        rec["relativeCreated"] = 0.5
    if rng.random() < 0.1:
        rec["exc_text"] = rng.choice(["Traceback (most recent call last):\nValueError: bad",
                                      "exc\n", ""])
    if rng.random() < 0.1:
        rec["stack_info"] = rng.choice(["Stack (most recent call last):\n  File \"y\"", ""])
    if rng.random() < 0.9:
        keys = EXTRA_KEYS if rng.random() < 0.7 else rng.sample(EXTRA_KEYS, rng.randint(1, 6))
        rec["extras"] = {k: encode(rand_value(rng)) for k in keys}
    return rec


# What a filter may assign. `args` takes falsy values only (a truthy one is
# refused by set_attr: sawmill has merged the message already) and
# `exc_info` only None (a C filter has no exception triple to give).
CHANGE_KEYS = ["created", "msecs", "relativeCreated", "msg", "message", "asctime", "exc_text",
               "stack_info", "name", "levelno", "levelname", "lineno", "funcName", "thread",
               "process", "processName", "threadName", "pathname", "filename", "module"]
CHANGE_TEXTS = ["", "line one\nline two\n", "\n", "日本語 ✓ ü", "%(x)s {y} $z", "tb\n  File x"]


def rand_change(rng):
    r = rng.random()
    if r < 0.05:
        return ["args", rng.choice([None, 0, 0.0, -0.0, "", False])]
    if r < 0.08:
        return ["exc_info", None]
    key = rng.choice(CHANGE_KEYS) if r < 0.8 else rng.choice(EXTRA_KEYS)
    r = rng.random()
    if r < 0.15:
        value = rng.choice(CHANGE_TEXTS)
    elif r < 0.25 and key in ("created", "msecs", "relativeCreated"):
        value = rand_created(rng)
    else:
        value = rand_value(rng)
        # created = None means "now" on both sides (time.localtime(None)):
        # two clocks read at different instants cannot be compared.
        while key == "created" and value is None:
            value = rand_value(rng)
    return [key, encode(value)]


def rand_changes(rng):
    return [rand_change(rng) for _ in range(rng.randint(1, 4))]


def rand_literal(rng):
    r = rng.random()
    if r < 0.5:
        return rng.choice([" ", " - ", "|", ":", "[", "]", "x", "", "é", "日本", "\t", "\n", "→ "])
    return "".join(rng.choice("abc é✓ -:;,.()[]<>=^*#0_") for _ in range(rng.randint(1, 8)))


def rand_key(rng):
    r = rng.random()
    if r < 0.6:
        return rng.choice(STANDARD)
    if r < 0.97:
        return rng.choice(EXTRA_KEYS)
    # (args and exc_info are records' attributes another change adds: not yet here)
    return rng.choice(["missing", "Name", "a b", "", "9", "a-b", "x.y"])


def rand_number(rng, big=False):
    r = rng.random()
    if r < 0.55:
        return str(rng.randint(0, 12))
    if r < 0.85:
        return str(rng.randint(13, 40))
    if r < 0.97 or not big:
        return str(rng.choice([0, 1, 99, 100, 310, 330, 340, 400, 450]))
    return str(rng.choice([1000, 2000]))


def percent_field(rng):
    key = rand_key(rng)
    flags = "".join(rng.sample("-0+ #", rng.randint(0, 3))) if rng.random() < 0.5 else ""
    width = rand_number(rng, True) if rng.random() < 0.45 else ""
    prec = ""
    if rng.random() < 0.35:
        prec = "." + (rand_number(rng, True) if rng.random() < 0.85 else "")
    length = rng.choice(["h", "l", "L"]) if rng.random() < 0.03 else ""
    conv = rng.choice("sssssdddrafeEgGxXoiucF%") if rng.random() < 0.97 else rng.choice("zby*")
    if rng.random() < 0.02:
        width = "*"
    return "%(" + key + ")" + flags + width + prec + length + conv


def brace_spec(rng):
    parts = []
    if rng.random() < 0.3:
        fill = rng.choice(["", "", "*", "0", " ", "é", "{", "x", "<"])
        parts.append(fill + rng.choice("<>^="))
    if rng.random() < 0.2:
        parts.append(rng.choice("+- "))
    if rng.random() < 0.1:
        parts.append("#")
    if rng.random() < 0.2:
        parts.append("0")
    if rng.random() < 0.4:
        parts.append(rand_number(rng, True) if rng.random() < 0.93 else "{lineno}")
    if rng.random() < 0.15:
        parts.append(rng.choice(",_"))
    if rng.random() < 0.3:
        parts.append("." + (rand_number(rng, True) if rng.random() < 0.9
                            else rng.choice(["", "{levelno}"])))
    if rng.random() < 0.45:
        parts.append(rng.choice("sdfeEgGxXob%ncFD"))
    if rng.random() < 0.02:
        parts.append(rng.choice(["z", "ss", ",,"]))
    return "".join(parts)


def brace_field(rng):
    key = rand_key(rng)
    r = rng.random()
    if r < 0.04:
        key += "[" + rng.choice(["0", "1", "-1", "a", "99"]) + "]"
    elif r < 0.08:
        key += "." + rng.choice(["real", "imag", "numerator", "denominator", "x"])
    conv = "!" + rng.choice("rsaax") if rng.random() < 0.15 else ""
    spec = brace_spec(rng) if rng.random() < 0.7 else ""
    return "{" + key + conv + (":" + spec if spec or rng.random() < 0.1 else "") + "}"


def dollar_field(rng):
    key = rand_key(rng)
    r = rng.random()
    if r < 0.4:
        return "${" + key + "}"
    if r < 0.95:
        return "$" + key
    return rng.choice(["$", "${", "$1", "${a b}"])


def rand_format(rng):
    style = rng.choice("%%{{$")
    field = {"%": percent_field, "{": brace_field, "$": dollar_field}[style]
    escapes = {"%": ["%%", "%"], "{": ["{{", "}}", "{", "}"], "$": ["$$", "$"]}[style]
    out = []
    for _ in range(rng.randint(1, 5)):
        r = rng.random()
        if r < 0.55:
            out.append(field(rng))
        elif r < 0.93:
            out.append(rand_literal(rng))
        else:
            out.append(rng.choice(escapes[:2] if rng.random() < 0.7 else escapes))
    fmt = "".join(out)
    r = rng.random()
    if r < 0.01:
        fmt = ""
    elif r < 0.02:
        fmt = None
    return fmt, style


DATE_DIRECTIVES = ["%Y", "%m", "%d", "%H", "%M", "%S", "%a", "%A", "%b", "%B", "%p", "%j", "%y",
                   "%Z", "%z", "%%", "%I", "%e", "%U", "%w", "%c", "%x", "%X", "%D", "%T", "%s"]


def rand_datefmt(rng):
    r = rng.random()
    if r < 0.6:
        return None
    if r < 0.65:
        return ""
    if r < 0.68:
        # Longer than any stack buffer.
        return "%Y-%m-%d %H:%M:%S " * rng.randint(15, 40)
    return "".join(rng.choice(DATE_DIRECTIVES) if rng.random() < 0.7 else rand_literal(rng)
                   for _ in range(rng.randint(1, 6)))


def generate(seed, count):
    rng = random.Random(seed)
    cases = []
    for _ in range(count):
        fmt, style = rand_format(rng)
        defaults = None
        if rng.random() < 0.05:
            defaults = {k: encode(rand_value(rng)) for k in rng.sample(EXTRA_KEYS, 2)}
        cases.append(dict(fmt=fmt, style=style, datefmt=rand_datefmt(rng), utc=rng.random() < 0.3,
                          tz=rng.choice(ZONES), record=rand_record(rng), defaults=defaults,
                          record_changes=rand_changes(rng) if rng.random() < 0.2 else None))
    return cases
