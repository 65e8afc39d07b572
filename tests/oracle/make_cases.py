"""Writes cases.json: formats × records that sawmill and CPython must format
identically (format_differential.rs runs both). Re-run after editing."""
import itertools
import json
import math
import os

RECORDS = [
    dict(name="name.sub", levelno=30, pathname="/src/app/main.c", lineno=42, funcName="run",
         msg="hi x", created=1700000000.987654, relativeCreated=1234.5678, thread=140245,
         threadName="MainThread", process=4321, processName="MainProcess"),
    dict(name="root", levelno=20, pathname=None, lineno=0, funcName=None,
         msg="Jackdaws love my big sphinx of quartz.", created=1710054000.1, relativeCreated=0.25,
         thread=1, threadName="Thread-1", process=1, processName="worker"),
    dict(name="myapp.área", levelno=37, pathname="relative/mod.tar.gz", lineno=7, funcName="f",
         msg="naïve café — 日本語 ✓", created=1699165800.999999, relativeCreated=999999.9,
         thread=2**40 + 5, threadName="pool-é", process=77, processName="MainProcess"),
    dict(name="x", levelno=5, pathname="/.hidden", lineno=100000, funcName="g",
         msg="quote's \"both\" \\ back\ttab\nnew", created=1e-7 + 1600000000, relativeCreated=-3.5,
         thread=0, threadName="MainThread", process=0, processName="MainProcess"),
    dict(name="deep.a.b.c.d", levelno=50, pathname="/p/q.c", lineno=1, funcName="main",
         msg="100% done", created=1678604400.5, relativeCreated=12.0,
         thread=3, threadName="T", process=9, processName="P",
         exc_text="Traceback (most recent call last):\n  File \"x\", line 1\nValueError: bad",
         stack_info="Stack (most recent call last):\n  File \"y\""),
    dict(name="extras", levelno=40, pathname="/e.c", lineno=3, funcName="h", msg="with extras",
         created=1700000000.0, relativeCreated=1.0, thread=4, threadName="MainThread",
         process=5, processName="MainProcess",
         extras={"ip": "192.168.0.1", "user": "jim", "count": 12, "ratio": 0.1, "flag": True,
                 "nothing": None, "big": 12345678901234, "neg": -42, "tiny": 1.5e-7}),
    dict(name="nl", levelno=10, pathname="/n.c", lineno=9, funcName="n", msg="ends with newline\n",
         created=1700000000.25, relativeCreated=5.0, thread=6, threadName="MainThread",
         process=7, processName="MainProcess", exc_text="exc line", stack_info=""),
]

PERCENT = [
    "%(message)s", "%(levelname)s:%(name)s:%(message)s",
    "%(asctime)s - %(name)s - %(levelname)s - %(message)s",
    "%(name)-12s|%(levelname)8s|%(relativeCreated)6d|%(created)f|%(msecs)03d",
    "%(created)s %(msecs)s %(relativeCreated)s", "%(name)r %(message)r %(levelname)a",
    "%(lineno)5d|%(lineno)-5d|%(lineno)05d|%(lineno)+d|%(lineno) d|%(lineno)x|%(lineno)#X|%(lineno)#o",
    "%(created).2f|%(created)e|%(created).3E|%(created)g|%(created)#g|%(relativeCreated)G",
    "%(relativeCreated)010.3f|%(relativeCreated)-10.1f|%(relativeCreated)+.0f",
    "%(name).3s|%(message).5s|%(name)10.2s|%(message)-20.4s!",
    "100%% %(message)s %%", "%(filename)s %(module)s %(pathname)s %(funcName)s",
    "%(thread)d %(threadName)s %(process)d %(processName)s",
    "%(exc_text)s|%(stack_info)s", "%(levelno)s %(levelno)d %(levelno)i %(levelno)u",
    "[%(asctime)s] %(message)s", "%(msg)s", "%(lineno)c", "%(created)10.4f|%(msecs)5.1f",
]
BRACE = [
    "{message}", "{message!r:>10}", "{levelname:<8} {name:^12} {message}", "{asctime} {msecs:03.0f}",
    "{created:.3f} {relativeCreated:,.2f} {lineno:05d} {lineno:x} {lineno:#b} {lineno:+}",
    "{name!s:*>15} {name!a}", "{created} {msecs} {relativeCreated:.3} {created:e} {created:g} {created:%}",
    "{{literal}} {message}", "{process:_} {thread:,}", "{levelno:=+6d}", "{message:.4}", "{created:12.1}",
]
DOLLAR = ["$message", "${levelname}:$name:$message", "$$ $message", "${asctime} ${name}x", "$msecs $created $lineno"]
EXTRA_FMTS = [
    ("%(ip)-15s %(user)-8s %(count)d %(ratio)s %(flag)s %(nothing)s %(big)d %(neg)05d %(tiny)s %(ratio).3f", "%"),
    ("{ip} {count:04d} {ratio:.2%} {flag} {nothing} {flag:d} {neg:+}", "{"),
    ("$ip $user $count $ratio $flag $nothing", "$"),
]
DATEFMTS = [None, "%m-%d %H:%M", "%Y/%m/%d %I:%M:%S %p %a %b %j", "%H:%M:%S %Z %z", "%A %B %y %%"]
TZS = ["America/New_York", "UTC", "Asia/Kolkata"]

cases = []
def add(fmt, style, record, datefmt=None, utc=False, tz="America/New_York", defaults=None):
    cases.append(dict(fmt=fmt, style=style, datefmt=datefmt, utc=utc, tz=tz, record=record,
                      defaults=defaults))

for i, fmt in enumerate(PERCENT):
    for j, rec in enumerate(RECORDS):
        if (i + j) % 2 == 0 or j == 0:
            add(fmt, "%", rec)
for i, fmt in enumerate(BRACE):
    for j, rec in enumerate(RECORDS[:5]):
        if (i + j) % 2 == 0 or j == 0:
            add(fmt, "{", rec)
for fmt in DOLLAR:
    for rec in RECORDS[:3]:
        add(fmt, "$", rec)
for fmt, style in EXTRA_FMTS:
    add(fmt, style, RECORDS[5])
for datefmt, utc, tz, rec in itertools.product(DATEFMTS, [False, True], TZS, RECORDS[:3]):
    add("%(asctime)s|%(message)s", "%", rec, datefmt=datefmt, utc=utc, tz=tz)
# Python 3.10 defaults= for fields the record lacks.
add("%(message)s %(tenant)s %(count)d", "%", RECORDS[0], defaults={"tenant": "acme", "count": 3})
add("{message} {tenant}", "{", RECORDS[5], defaults={"tenant": "acme", "user": "override-me"})
# Errors: at construction, and at format time (field missing).
for fmt, style in [("no fields", "%"), ("%(message)z", "%"), ("{message", "{"), ("message}", "{"),
                   ("{message!x}", "{"), ("{message:%%%}", "{"), ("plain", "$"), ("$", "$"),
                   ("${}", "$"), ("%(message)s %", "%")]:
    add(fmt, style, RECORDS[0])
for fmt, style in [("%(missing)s", "%"), ("{missing}", "{"), ("$missing", "$"), ("%(message)d", "%"),
                   ("%(name)x", "%")]:
    add(fmt, style, RECORDS[0])

# Named regression cases, one per class of difference issue 8 found (each
# failed before its fix): (label, fmt, style, extras, datefmt).
REGRESSIONS = [
    ("repr-tie-to-even", "%(x)s|%(x)r|%(x).17g", "%", {"x": 168.003082275390625}, None),
    ("repr-printable-by-unicode-tables", "%(x)r|%(y)a", "%",
     {"x": "\U00064507\u0378\u0301\U0001F389\u2028é\U000e0001", "y": "é\U0001F389"}, None),
    ("repr-tie-to-even-brace", "{x} {x!r}", "{", {"x": 168.003082275390625}, None),
    ("no-type-precision-exponent", "{x:.3}|{y:.1}|{z:.3}|{w:.1}", "{",
     {"x": 100.0, "y": 959.0, "z": 1.0, "w": 0.0}, None),
    ("alternate-repr", "{x:#}|{y:#}|{z:#}", "{", {"x": 1e16, "y": 5e-324, "z": 2.0}, None),
    ("percent-d-big-float", "%(x)d|%(y)i|%(z)u|%(w)+.30d", "%",
     {"x": 1e22, "y": -1e300, "z": 2.0 ** 63, "w": 123.9}, None),
    ("zero-padded-inf-nan", "%(x)010f|%(y)+010.2f|%(z)-010f|%(z)010e|%(y)#010g", "%",
     {"x": float("inf"), "y": float("nan"), "z": float("-inf")}, None),
    ("zero-padded-inf-nan-brace", "{x:010}|{y:+010}|{z:010,}|{z:=+12.3f}", "{",
     {"x": float("inf"), "y": float("nan"), "z": float("-inf")}, None),
    ("zero-flag-with-align", "{levelno:>05}|{levelno:<05}|{levelno:^07}|{x:*>05}|{message:05}", "{",
     {"x": 7}, None),
    ("zero-padding-grouped", "{x:09,}|{x:08,}|{x:010_}|{y:#012_x}|{z:012,.2f}|{n:09,}", "{",
     {"x": 1234, "y": 0xabcdef, "z": 1234.5, "n": -1234}, None),
    ("bool-with-spec-is-int", "{x:>6}|{x:f}|{y:d}|{x}|{y!s:>6}", "{", {"x": True, "y": False}, None),
    ("c-conversion", "%(x)c|%(y)5c|%(z)-3c|%(s)c", "%", {"x": True, "y": 0x1F389, "z": 65, "s": "é"}, None),
    ("c-conversion-brace", "{z:c}|{z:>5c}|{t:c}|{z:05c}|{levelno:c}", "{", {"z": 65, "t": True}, None),
    ("c-out-of-range", "%(x)c", "%", {"x": 0x110000}, None),
    ("long-number-text", "%(created).300f|%(x)01000d|%(y).400e", "%", {"x": 5, "y": 1e308}, None),
    ("long-number-text-brace", "{x:01000}|{created:.330f}|{y:,.20f}", "{", {"x": 5, "y": 1.7e308}, None),
    ("long-asctime-slow-path", "%(asctime)s|%(lineno)5d", "%", {},
     "%Y-%m-%d %H:%M:%S %A %B " * 20),
    ("str-alternate-refused", "{message:#}", "{", {}, None),
    ("str-grouping-refused", "{message:,}", "{", {}, None),
    ("bool-precision-refused", "{x:.2}", "{", {"x": True}, None),
    ("percent-after-key-refused", "%(name)%", "%", {}, None),
    ("empty-format-is-default-percent", "", "%", {}, None),
    ("empty-format-is-default-brace", "", "{", {}, None),
    ("empty-format-is-default-dollar", "", "$", {}, None),
    ("escaped-percent-validates", "%%(name)s", "%", {}, None),
    ("string-index", "{name[0]}|{message[2]}", "{", {}, None),
    ("number-attributes", "{levelno.real}|{created.imag}|{x.numerator}|{x.denominator}|{t.real}", "{",
     {"x": -7, "t": True}, None),
    ("nested-spec", "{message:{lineno}}|{created:.{x}f}", "{", {"x": 3}, None),
    ("empty-key-refused", "%()s", "%", {}, None),
    ("length-modifier-only-field-refused", "%(name)ls", "%", {}, None),
    ("length-modifier-refused-h", "%(x)hd", "%", {"x": 1}, None),
    ("length-modifier-accepted-with-valid-field", "%(message)s %(name)ls %(x)hd", "%", {"x": 1}, None),
    ("dot-without-precision-refused", "%(name).s", "%", {}, None),
    ("key-with-space-refused", "%(a b)s", "%", {"a b": 1}, None),
    ("key-with-space-accepted-with-valid-field", "%(message)s %(a b)s", "%", {"a b": 1}, None),
    ("rejected-earlier-percent-z", "%(name)s%z", "%", {}, None),
    ("rejected-earlier-positional", "{0}", "{", {}, None),
    ("rejected-earlier-method", "{message.x}", "{", {}, None),
]
def encode(value):
    # JSON has no inf/nan: the oracle and the Rust test read {"float": "inf"}.
    if isinstance(value, float) and not math.isfinite(value):
        return {"float": repr(value)}
    return value


for label, fmt, style, extras, datefmt in REGRESSIONS:
    extras = {k: encode(v) for k, v in extras.items()}
    rec = dict(RECORDS[0], extras=extras) if extras else RECORDS[0]
    cases.append(dict(label=label, fmt=fmt, style=style, datefmt=datefmt, utc=False,
                      tz="America/New_York", record=rec, defaults=None))
# asctime before 1970: msecs is negative and `%03d` keeps its sign.
for created in (-1.5, -0.25, -86400.999):
    cases.append(dict(label="asctime-before-1970", fmt="%(asctime)s|%(msecs)d", style="%",
                      datefmt=None, utc=False, tz="America/New_York",
                      record=dict(RECORDS[0], created=created), defaults=None))
# Classes the random generator found with filter-set attributes
# (record_changes: [attribute, value] assigned in order before formatting).
FILTER_SET = [
    # A created no calendar holds: formatTime fails (NaN, infinities, outside
    # time_t, a year past a C int), on either converter.
    ("created-nan", "%(asctime)s", "%", None, [["created", {"float": "nan"}]]),
    ("created-inf", "{asctime}", "{", "%Y", [["created", {"float": "inf"}]]),
    ("created-minus-inf", "$asctime", "$", None, [["created", {"float": "-inf"}]]),
    ("created-2-63", "%(asctime)s", "%", "%s", [["created", 2.0 ** 63]]),
    ("created-int-max", "%(asctime)s", "%", "%c", [["created", 2 ** 63 - 1]]),
    ("created-year-past-int", "%(asctime)s", "%", "%Y", [["created", 1e17]]),
    ("created-largest-year", "%(asctime)s", "%", "%Y %s", [["created", 67767976233316800.0]]),
    ("created-smallest-year", "%(asctime)s", "%", "%Y %s", [["created", -67768040609740800]]),
    ("created-before-smallest", "%(asctime)s", "%", "%Y", [["created", -67768040609740801]]),
    ("created-unused", "%(message)s", "%", None, [["created", {"float": "nan"}]]),
    # usesTime() searches the text: an escaped %%(asctime) still computes it.
    ("uses-time-textual-percent", "%%(asctime)s %(message)s", "%", None,
     [["msecs", None]]),
    ("uses-time-textual-brace", "{{asctime}} {message}", "{", None, [["created", "x"]]),
    ("uses-time-textual-dollar", "$$asctime $message", "$", None,
     [["created", {"float": "nan"}]]),
    # msecs through `,%03d`: exact ints, exact big floats, NaN/inf refused.
    ("msecs-huge-int", "%(asctime)s", "%", None, [["msecs", 8596796586645877067]]),
    ("msecs-negative-int", "%(asctime)s", "%", None, [["msecs", -7]]),
    ("msecs-huge-float", "%(asctime)s", "%", None, [["msecs", 1e22]]),
    ("msecs-float", "%(asctime)s", "%", None, [["msecs", 123456.9]]),
    ("msecs-inf", "%(asctime)s", "%", None, [["msecs", {"float": "inf"}]]),
    ("msecs-nan", "{asctime}", "{", None, [["msecs", {"float": "nan"}]]),
    ("msecs-nan-explicit-datefmt", "{asctime}", "{", "%H", [["msecs", {"float": "nan"}]]),
]
for label, fmt, style, datefmt, changes in FILTER_SET:
    for utc in (False, True):
        cases.append(dict(label=label, fmt=fmt, style=style, datefmt=datefmt, utc=utc,
                          tz="America/New_York", record=RECORDS[0], defaults=None,
                          record_changes=changes))
# Thread ids past 2^63 print unsigned, as Python's ints do.
for thread in (2 ** 63, 2 ** 64 - 1):
    for fmt, style in [("%(thread)d|%(thread)s|%(thread)x|%(thread)#o|%(thread)e|%(thread)r", "%"),
                       ("{thread}|{thread:,}|{thread:_x}|{thread:#b}|{thread:e}|{thread!r:>25}"
                        "|{thread.real}", "{"), ("{thread:c}", "{"), ("%(thread)c", "%"),
                       ("{thread:d}|{thread:+}|{thread:%}|{thread:g}", "{"),
                       ("$thread ${thread}", "$")]:
        cases.append(dict(label="thread-id-past-2-63", fmt=fmt, style=style, datefmt=None,
                          utc=False, tz="America/New_York",
                          record=dict(RECORDS[0], thread=thread), defaults=None))

here = os.path.dirname(os.path.abspath(__file__))
with open(os.path.join(here, "cases.json"), "w", encoding="utf-8") as out:
    json.dump(cases, out, ensure_ascii=False, indent=0)
print(len(cases), "cases")
