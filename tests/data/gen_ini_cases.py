# Writes ini_cases.json, the corpus of tests/file_config_differential.rs:
#   python3 gen_ini_cases.py
# Each case: steps of {"write": [name, text]}, {"loggers": [names]},
# {"ini": [text, disable_existing_loggers]}, {"log": [[logger, level, msg]]};
# $DIR in any string is the case's output folder. Marks as in dict_cases:
# "stricter" (CPython accepts, sawmill refuses on purpose), "outcome_only"
# (both refuse, CPython after changing part of its configuration),
# "mask_digits" (timestamps).
import json
import os

cases = []


def case(name, steps, **extra):
    c = {"name": name, "steps": steps}
    c.update(extra)
    cases.append(c)


def logs(names=("", "a", "a.b", "b", "c.d"), levels=(10, 20, 30, 40, 50), tag="m"):
    return {"log": [[n, l, f"{tag} {n or 'root'} {l}"] for n in names for l in levels]}


def ini(text, disable=True):
    return {"ini": [text, disable]}


def doc(handlers, root="level=DEBUG\nhandlers=h", loggers=(), formatters="f",
        fmt="format=%(levelname)s|%(name)s|%(message)s", extra=""):
    """A whole INI document: handlers is [(name, body)], loggers [(name, body)]."""
    parts = ["[loggers]\nkeys=" + ",".join(["root"] + [n for n, _ in loggers]),
             "[handlers]\nkeys=" + ",".join(n for n, _ in handlers),
             "[formatters]\nkeys=" + formatters,
             "[logger_root]\n" + root]
    parts += ["[logger_%s]\n%s" % (n, b) for n, b in loggers]
    parts += ["[handler_%s]\n%s" % (n, b) for n, b in handlers]
    if formatters:
        parts += ["[formatter_%s]\n%s" % (f.strip(), fmt) for f in formatters.split(",")]
    return "\n\n".join(parts) + "\n" + extra


OUT = "class=StreamHandler\nformatter=f\nargs=(sys.stdout,)"
ERR = "class=StreamHandler\nformatter=f\nargs=(sys.stderr,)"

# --- the cookbook's and the docs' files -----------------------------------
case("cookbook simpleExample", [ini("""[loggers]
keys=root,simpleExample

[handlers]
keys=consoleHandler

[formatters]
keys=simpleFormatter

[logger_root]
level=DEBUG
handlers=consoleHandler

[logger_simpleExample]
level=DEBUG
handlers=consoleHandler
qualname=simpleExample
propagate=0

[handler_consoleHandler]
class=StreamHandler
level=DEBUG
formatter=simpleFormatter
args=(sys.stdout,)

[formatter_simpleFormatter]
format=%(asctime)s - %(name)s - %(levelname)s - %(message)s
"""), logs(names=("simpleExample", "", "x"))], mask_digits=True)
case("stream default is stderr", [ini(doc([("h", "class=StreamHandler\nformatter=f")])), logs()])
case("args sys.stderr", [ini(doc([("h", ERR)])), logs()])
case("no formatter: message only", [ini(doc([("h", "class=StreamHandler\nargs=(sys.stdout,)")], formatters="")), logs()])
case("empty formatter name", [ini(doc([("h", "class=StreamHandler\nformatter=\nargs=(sys.stdout,)")])), logs()])
case("formatter without format", [ini(doc([("h", OUT)], fmt="datefmt=")), logs()])
case("handler level", [ini(doc([("h", OUT + "\nlevel=WARNING")])), logs()])
case("levels WARN and FATAL", [ini(doc([("h", OUT + "\nlevel=WARN")], root="level=NOTSET\nhandlers=h",
                                       loggers=[("a", "level=FATAL\nhandlers=\nqualname=a")])), logs()])
case("root without level", [ini(doc([("h", OUT)], root="handlers=h")), logs()])
case("logger without level", [ini(doc([("h", OUT)], root="level=ERROR\nhandlers=h",
                                      loggers=[("ab", "handlers=\nqualname=a.b")])), logs()])
case("propagate 0", [ini(doc([("h", OUT), ("e", ERR)], root="level=DEBUG\nhandlers=h",
                             loggers=[("a", "level=INFO\nhandlers=e\npropagate=0\nqualname=a")])), logs()])
case("propagate 1 duplicates", [ini(doc([("h", OUT)], root="level=INFO\nhandlers=h",
                                        loggers=[("a", "handlers=h\npropagate=1\nqualname=a"),
                                                 ("ab", "handlers=h\nqualname=a.b")])), logs()])
case("two handlers, spaces in lists", [ini(doc([("one", OUT), ("two", ERR)], formatters="f, g",
                                               root="level=INFO\nhandlers= one , two")), logs()])
case("continuation line in keys", [ini(doc([("h", OUT)], root="level=DEBUG\nhandlers=\n  h")), logs()])
case("comments and colons", [ini("# top\n; also\n" + doc([("h", "class : StreamHandler\nformatter : f\n# c\nargs : (sys.stdout,)")])), logs()])
case("brace style", [ini(doc([("h", OUT)], fmt="format={levelname:>8}|{name}|{message}\nstyle={")), logs()])
case("dollar style", [ini(doc([("h", OUT)], fmt="format=$levelname ${name}: $message $$\nstyle=$")), logs()])
case("percent flags", [ini(doc([("h", OUT)], fmt="format=%(levelname)-9s|%(levelno)03d|%(name)10s|%(message)r")), logs()])
case("datefmt masked", [ini(doc([("h", OUT)], fmt="format=[%(asctime)s] %(message)s\ndatefmt=%Y/%m/%d %H.%M")), logs(names=("a",))], mask_digits=True)
case("formatter class logging.Formatter", [ini(doc([("h", OUT)], fmt="format=C %(message)s\nclass=logging.Formatter")), logs()])
case("class logging.StreamHandler", [ini(doc([("h", "class=logging.StreamHandler\nformatter=f\nargs=(sys.stdout,)")])), logs()])
case("kwargs stream", [ini(doc([("h", "class=StreamHandler\nformatter=f\nkwargs={'stream': sys.stdout}")])), logs()])
# --- files ------------------------------------------------------------------
case("FileHandler positional", [ini(doc([("h", "class=FileHandler\nformatter=f\nargs=('$DIR/a.log', 'w')")])), logs()])
case("FileHandler kwargs", [ini(doc([("h", "class=FileHandler\nformatter=f\nargs=('$DIR/a.log',)\nkwargs={'mode': 'w', 'encoding': 'utf-8', 'delay': True}")])), logs()])
case("DEFAULT interpolation", [ini("[DEFAULT]\nlogdir=$DIR\n\n" + doc([("h", "class=FileHandler\nformatter=f\nargs=('%(logdir)s/x.log', 'a')")])), logs()])
case("interpolation in section", [ini(doc([("h", "class=FileHandler\nname=y.log\nformatter=f\nargs=('$DIR/%(name)s', 'w')")])), logs()],
     stricter="'name' is not a key fileConfig reads: sawmill refuses unknown keys (use [DEFAULT] for variables)")
case("RotatingFileHandler rotates", [ini(doc([("h", "class=handlers.RotatingFileHandler\nformatter=f\nargs=('$DIR/r.log', 'a', 120, 2)")])), logs()])
case("RotatingFileHandler kwargs", [ini(doc([("h", "class=logging.handlers.RotatingFileHandler\nformatter=f\nargs=('$DIR/r.log',)\nkwargs={'maxBytes': 200, 'backupCount': 1}")])), logs()])
case("TimedRotatingFileHandler", [ini(doc([("h", "class=handlers.TimedRotatingFileHandler\nformatter=f\nargs=('$DIR/t.log', 'midnight', 1, 3)")])), logs()])
case("WatchedFileHandler", [ini(doc([("h", "class=handlers.WatchedFileHandler\nformatter=f\nargs=('$DIR/w.log',)")])), logs()])
case("NullHandler", [ini(doc([("h", "class=NullHandler")], root="level=DEBUG\nhandlers=h")), logs()])
case("second fileConfig replaces the first", [
    ini(doc([("h", "class=FileHandler\nformatter=f\nargs=('$DIR/one.log', 'w')")])), logs(tag="first"),
    ini(doc([("h", "class=FileHandler\nformatter=f\nargs=('$DIR/two.log', 'w')")])), logs(tag="second")])
# --- disable_existing_loggers ------------------------------------------------
PRE = {"loggers": ["a", "a.b", "a.b.c", "b", "b.x", "c.d"]}
ALL = ("", "a", "a.b", "a.b.c", "b", "b.x", "c.d")
NAMED_A = [("a", "level=INFO\nhandlers=\nqualname=a")]
case("disable existing true", [PRE, ini(doc([("h", OUT)], loggers=NAMED_A)), logs(names=ALL)])
case("disable existing false", [PRE, ini(doc([("h", OUT)], loggers=NAMED_A), disable=False), logs(names=ALL)])
case("disabled logger named again is enabled", [PRE, ini(doc([("h", OUT)])), logs(names=ALL, tag="one"),
                                                ini(doc([("h", OUT)], loggers=[("b", "handlers=\nqualname=b")])), logs(names=ALL, tag="two")])
case("same qualname twice", [ini(doc([("h", OUT)], root="level=DEBUG\nhandlers=",
                                     loggers=[("x1", "level=ERROR\nhandlers=h\nqualname=a"),
                                              ("x2", "handlers=h\npropagate=0\nqualname=a")])), logs()])
# --- the dialect in use ---------------------------------------------------------
case("DEFAULT level reaches every section", [ini("[DEFAULT]\nlevel=WARNING\n\n" + doc([("h", OUT)], root="handlers=h",
                                                  loggers=[("a", "handlers=\nqualname=a")])), logs()])
case("multi-line args with a comment", [ini(doc([("h", "class=FileHandler\nformatter=f\nargs=(\n    '$DIR/m.log',\n# a comment line\n    'w',\n  )")])), logs()])
case("percent escaped in args", [ini(doc([("h", "class=FileHandler\nformatter=f\nargs=('$DIR/100%%.log', 'w')")])), logs()])
case("propagate 2 is true", [ini(doc([("h", OUT)], root="level=DEBUG\nhandlers=h",
                                     loggers=[("a", "handlers=h\npropagate=2\nqualname=a")])), logs()])
case("timed kwargs when and utc", [ini(doc([("h", "class=handlers.TimedRotatingFileHandler\nformatter=f\nargs=('$DIR/t.log',)\nkwargs={'when': 'D', 'backupCount': 2, 'utc': True}")])), logs()])
case("CRLF line ends", [ini(doc([("h", OUT)]).replace("\n", "\r\n")), logs()])
case("upper-case option names", [ini(doc([("h", "CLASS=StreamHandler\nFormatter=f\nARGS=(sys.stdout,)")]).replace("keys=", "KEYS=")), logs()])
case("keys listed with a trailing comma", [ini(doc([("h", OUT)]).replace("keys=h", "keys=h,")), logs()])
case("interpolation missing in a format is raw", [ini(doc([("h", OUT)], fmt="format=%(levelname)s %(nowhere)s %(message)s")), logs()],
     outcome_only="both accept; each record then fails to format, and CPython prints a traceback where sawmill prints its error report")
# --- refused by both ---------------------------------------------------------
GOOD = doc([("h", OUT)])
case("missing [formatters]", [ini(GOOD.replace("[formatters]\nkeys=f", "[other]\nx=1")), logs()])
case("root not listed", [ini(GOOD.replace("keys=root", "keys=")), logs()])
case("no [logger_root]", [ini(GOOD.replace("[logger_root]", "[logger_x]")), logs()])
case("root without handlers", [ini(doc([("h", OUT)], root="level=DEBUG")), logs()])
case("logger without qualname", [ini(doc([("h", OUT)], loggers=[("a", "handlers=h")])), logs()], outcome_only="CPython has already replaced the handlers")
case("unknown class", [ini(doc([("h", "class=FooHandler")])), logs()])
case("bad level name", [ini(doc([("h", OUT + "\nlevel=LOUD")])), logs()])
case("level as digits", [ini(doc([("h", OUT)], root="level=10\nhandlers=h")), logs()], outcome_only="CPython has already replaced the handlers")
case("dangling formatter", [ini(doc([("h", "class=StreamHandler\nformatter=nope\nargs=(sys.stdout,)")])), logs()])
case("dangling handler", [ini(doc([("h", OUT)], root="level=DEBUG\nhandlers=h,zz")), logs()], outcome_only="CPython has already replaced the handlers")
case("duplicate option", [ini(doc([("h", OUT + "\nLevel=INFO\nlevel=DEBUG")])), logs()])
case("missing interpolation", [ini(doc([("h", "class=FileHandler\nformatter=f\nargs=('%(nowhere)s/x.log', 'w')")])), logs()])
case("unopenable file", [ini(doc([("h", "class=FileHandler\nformatter=f\nargs=('$DIR/no/such/dir/x.log', 'w')")])), logs()])
case("propagate not an integer", [ini(doc([("h", OUT)], loggers=[("a", "handlers=\npropagate=yes\nqualname=a")])), logs()], outcome_only="CPython has already replaced the handlers")
case("too many args", [ini(doc([("h", "class=StreamHandler\nargs=(sys.stdout, 1)")])), logs()])
case("bad format", [ini(doc([("h", OUT)], fmt="format=%(message")), logs()])
case("unknown key stricter", [ini(doc([("h", OUT + "\nleve=INFO")])), logs()],
     stricter="a key fileConfig does not read is refused (CPython ignores it)")
case("a refused file keeps the old configuration", [
    ini(doc([("h", "class=FileHandler\nformatter=f\nargs=('$DIR/keep.log', 'w')")])), logs(tag="before"),
    ini(doc([("h", "class=FileHandler\nformatter=f\nargs=('$DIR/new.log', 'w')"), ("bad", "class=StreamHandler\nlevel=LOUD")])), logs(tag="after")],
     outcome_only="CPython has closed the old handlers and reopens keep.log with 'w' on the next record")

here = os.path.dirname(os.path.abspath(__file__))
with open(os.path.join(here, "ini_cases.json"), "w") as f:
    json.dump(cases, f, indent=1)
print(len(cases), "cases")
