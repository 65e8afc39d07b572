# Writes dict_cases.json, the corpus of tests/dict_differential.rs: python3 gen_dict_cases.py
import json
import os
OUT = {"class": "logging.StreamHandler", "stream": "ext://sys.stdout"}
def out(**kw):
    d = dict(OUT); d.update(kw); return d
def logs(names=("", "a", "a.b", "b", "c.d"), levels=(10, 20, 30, 40, 50), tag="m"):
    return {"log": [[n, l, f"{tag} {n or 'root'} {l}"] for n in names for l in levels]}
FMT = {"f": {"format": "%(levelname)s|%(name)s|%(message)s"}}
cases = []
def case(name, steps, **extra):
    c = {"name": name, "steps": steps}; c.update(extra); cases.append(c)
def cfg(d): d = dict(d); d.setdefault("version", 1); return {"config": d}

# --- basics ---------------------------------------------------------------
case("stream stdout on root", [cfg({"formatters": FMT, "handlers": {"h": out(formatter="f")}, "root": {"level": "DEBUG", "handlers": ["h"]}}), logs()])
case("stream default is stderr", [cfg({"formatters": FMT, "handlers": {"h": {"class": "logging.StreamHandler", "formatter": "f"}}, "root": {"level": "INFO", "handlers": ["h"]}}), logs()])
case("ext stderr", [cfg({"handlers": {"h": {"class": "logging.StreamHandler", "stream": "ext://sys.stderr"}}, "root": {"handlers": ["h"]}}), logs()])
case("no formatter means message only", [cfg({"handlers": {"h": out()}, "root": {"level": 10, "handlers": ["h"]}}), logs()])
case("root level only, last resort", [cfg({"root": {"level": "ERROR"}}), logs()])
case("empty config", [cfg({}), logs()])
case("handler level", [cfg({"formatters": FMT, "handlers": {"h": out(formatter="f", level="WARNING")}, "root": {"level": "DEBUG", "handlers": ["h"]}}), logs()])
case("levels WARN and FATAL by name", [cfg({"formatters": FMT, "handlers": {"h": out(formatter="f", level="WARN")}, "loggers": {"a": {"level": "FATAL", "handlers": ["h"]}}, "root": {"level": "NOTSET", "handlers": ["h"]}}), logs()])
case("levels as ints", [cfg({"formatters": FMT, "handlers": {"h": out(formatter="f", level=25)}, "loggers": {"a": {"level": 15}}, "root": {"level": 5, "handlers": ["h"]}}), logs()])
case("propagate false", [cfg({"formatters": FMT, "handlers": {"h": out(formatter="f"), "e": {"class": "logging.StreamHandler", "formatter": "f"}}, "loggers": {"a": {"handlers": ["e"], "propagate": False, "level": "INFO"}}, "root": {"level": "DEBUG", "handlers": ["h"]}}), logs()])
case("propagate true duplicates", [cfg({"formatters": FMT, "handlers": {"h": out(formatter="f")}, "loggers": {"a": {"handlers": ["h"]}, "a.b": {"handlers": ["h"]}}, "root": {"level": "INFO", "handlers": ["h"]}}), logs()])
case("two handlers order", [cfg({"formatters": {"x": {"format": "X %(message)s"}, "y": {"format": "Y %(message)s"}}, "handlers": {"z1": out(formatter="y"), "a1": out(formatter="x")}, "root": {"level": "INFO", "handlers": ["z1", "a1"]}}), logs()])
# --- formatters -------------------------------------------------------------
case("brace style", [cfg({"formatters": {"f": {"format": "{levelname:>8}|{name}|{message}", "style": "{"}}, "handlers": {"h": out(formatter="f")}, "root": {"level": 10, "handlers": ["h"]}}), logs()])
case("dollar style", [cfg({"formatters": {"f": {"format": "$levelname ${name}: $message $$", "style": "$"}}, "handlers": {"h": out(formatter="f")}, "root": {"level": 10, "handlers": ["h"]}}), logs()])
case("percent flags", [cfg({"formatters": {"f": {"format": "%(levelname)-9s|%(levelno)03d|%(name)10s|%(message)r"}}, "handlers": {"h": out(formatter="f")}, "root": {"level": 10, "handlers": ["h"]}}), logs()])
case("asctime default masked", [cfg({"formatters": {"f": {"format": "%(asctime)s %(message)s"}}, "handlers": {"h": out(formatter="f")}, "root": {"level": 10, "handlers": ["h"]}}), logs(names=("a",))], mask_digits=True)
case("datefmt masked", [cfg({"formatters": {"f": {"format": "[%(asctime)s] %(message)s", "datefmt": "%Y/%m/%d %H.%M"}}, "handlers": {"h": out(formatter="f")}, "root": {"level": 10, "handlers": ["h"]}}), logs(names=("a",))], mask_digits=True)
case("validate false with a valid format", [cfg({"formatters": {"f": {"format": "%(name)s: %(message)s", "validate": False}}, "handlers": {"h": out(formatter="f")}, "root": {"level": 10, "handlers": ["h"]}}), logs()])
case("formatter defaults (3.12)", [cfg({"formatters": {"f": {"format": "%(levelname)s %(ip)s %(message)s", "defaults": {"ip": "0.0.0.0"}}}, "handlers": {"h": out(formatter="f")}, "root": {"level": 10, "handlers": ["h"]}}), logs()])
case("formatter class logging.Formatter", [cfg({"formatters": {"f": {"class": "logging.Formatter", "format": "C %(message)s"}}, "handlers": {"h": out(formatter="f")}, "root": {"level": 10, "handlers": ["h"]}}), logs()])
case("formatter via () logging.Formatter", [cfg({"formatters": {"f": {"()": "logging.Formatter", "fmt": "P %(message)s"}}, "handlers": {"h": out(formatter="f")}, "root": {"level": 10, "handlers": ["h"]}}), logs()], stricter="sawmill's built-in () formatter takes the dictConfig key 'format', not the keyword 'fmt'")
case("formatter empty name means none", [cfg({"handlers": {"h": out(formatter="")}, "root": {"level": 10, "handlers": ["h"]}}), logs()])
case("recipe 18 UTC formatter", [cfg({"disable_existing_loggers": False, "formatters": {"utc": {"()": "__main__.UTCFormatter", "format": "%(asctime)s %(message)s", "datefmt": "%H"}, "local": {"format": "%(asctime)s %(message)s", "datefmt": "%H"}}, "handlers": {"console1": out(formatter="utc"), "console2": out(formatter="local")}, "root": {"handlers": ["console1", "console2"]}}), {"log": [["", 30, "The local time is now"]]}], tz="Asia/Kolkata", py_prelude="import time\nclass UTCFormatter(logging.Formatter):\n    converter = time.gmtime\n")
case("utc key on formatter", [cfg({"formatters": {"f": {"format": "%(asctime)s %(message)s", "datefmt": "%H", "utc": True}}, "handlers": {"h": out(formatter="f")}, "root": {"handlers": ["h"]}}), logs(names=("",))], outcome_only="'utc' is a sawmill key that CPython's dictConfig ignores (its times stay local)", tz="Asia/Kolkata")
# --- filters ------------------------------------------------------------------
case("name filter on handler", [cfg({"formatters": FMT, "filters": {"onlya": {"name": "a"}}, "handlers": {"h": out(formatter="f", filters=["onlya"])}, "root": {"level": 10, "handlers": ["h"]}}), logs(names=("", "a", "a.b", "ab", "b"))])
case("name filter on logger", [cfg({"formatters": FMT, "filters": {"ab": {"name": "a.b"}}, "handlers": {"h": out(formatter="f")}, "loggers": {"a": {"filters": ["ab"]}}, "root": {"level": 10, "handlers": ["h"]}}), logs(names=("", "a", "a.b", "a.c"))])
case("empty filter passes all", [cfg({"formatters": FMT, "filters": {"all": {}}, "handlers": {"h": out(formatter="f", filters=["all"])}, "root": {"level": 10, "handlers": ["h"]}}), logs()])
case("filter via () logging.Filter", [cfg({"formatters": FMT, "filters": {"b": {"()": "logging.Filter", "name": "b"}}, "handlers": {"h": out(formatter="f", filters=["b"])}, "root": {"level": 10, "handlers": ["h"]}}), logs()])
case("recipe 14 MyFilter", [cfg({"filters": {"myfilter": {"()": "__main__.MyFilter", "param": "noshow"}}, "handlers": {"console": {"class": "logging.StreamHandler", "filters": ["myfilter"]}}, "root": {"level": "DEBUG", "handlers": ["console"]}}), {"log": [["", 10, "hello"], ["", 10, "hello - noshow"]]}], py_prelude="class MyFilter(logging.Filter):\n    def __init__(self, param=None):\n        self.param = param\n    def filter(self, record):\n        allow = self.param is None or self.param not in record.msg\n        if allow:\n            record.msg = 'changed: ' + record.msg\n        return allow\n")
# --- disable_existing_loggers ------------------------------------------------
PRE = {"loggers": ["a", "a.b", "a.b.c", "b", "b.x", "c.d"]}
case("disable existing default", [PRE, cfg({"formatters": FMT, "handlers": {"h": out(formatter="f")}, "loggers": {"a": {"level": "INFO"}}, "root": {"level": 10, "handlers": ["h"]}}), logs(names=("", "a", "a.b", "a.b.c", "b", "b.x", "c.d"))])
case("disable existing false", [PRE, cfg({"disable_existing_loggers": False, "formatters": FMT, "handlers": {"h": out(formatter="f")}, "loggers": {"a": {"level": "INFO"}}, "root": {"level": 10, "handlers": ["h"]}}), logs(names=("", "a", "a.b", "a.b.c", "b", "b.x", "c.d"))])
case("children of named loggers reset", [cfg({"formatters": FMT, "handlers": {"h": out(formatter="f")}, "loggers": {"a.b": {"level": "ERROR", "handlers": ["h"], "propagate": False}}, "root": {"level": 10, "handlers": ["h"]}}), cfg({"formatters": FMT, "handlers": {"h": out(formatter="f")}, "loggers": {"a": {"level": "WARNING"}}, "root": {"level": 10, "handlers": ["h"]}}), logs(names=("", "a", "a.b", "b"))])
case("disabled logger re-enabled by naming it", [PRE, cfg({"formatters": FMT, "handlers": {"h": out(formatter="f")}, "root": {"level": 10, "handlers": ["h"]}}), logs(names=("b", "c.d"), tag="one"), cfg({"formatters": FMT, "handlers": {"h": out(formatter="f")}, "loggers": {"b": {}}, "root": {"level": 10, "handlers": ["h"]}}), logs(names=("b", "c.d"), tag="two")])
case("disable false re-enables", [PRE, cfg({"formatters": FMT, "handlers": {"h": out(formatter="f")}, "root": {"level": 10, "handlers": ["h"]}}), logs(names=("b",), tag="one"), cfg({"disable_existing_loggers": False, "formatters": FMT, "handlers": {"h": out(formatter="f")}, "root": {"level": 10, "handlers": ["h"]}}), logs(names=("b",), tag="two")])
case("placeholder parent named", [{"loggers": ["p.q.r"]}, cfg({"formatters": FMT, "handlers": {"h": out(formatter="f")}, "loggers": {"p": {"level": "ERROR"}}, "root": {"level": 10, "handlers": ["h"]}}), logs(names=("p", "p.q", "p.q.r"))])
# --- incremental ----------------------------------------------------------------
BASE = {"formatters": FMT, "handlers": {"h": out(formatter="f", level="DEBUG")}, "loggers": {"a": {"level": "DEBUG", "handlers": ["h"], "propagate": False}}, "root": {"level": "DEBUG", "handlers": ["h"]}}
case("incremental levels", [cfg(BASE), logs(tag="one"), cfg({"incremental": True, "handlers": {"h": {"level": "INFO"}}, "loggers": {"a": {"level": "ERROR", "propagate": True}}, "root": {"level": "WARNING"}}), logs(tag="two")])
case("incremental ignores handlers of loggers", [cfg(BASE), cfg({"incremental": True, "loggers": {"a": {"handlers": [], "level": "INFO"}}}), logs()])
case("incremental unknown handler", [cfg(BASE), cfg({"incremental": True, "handlers": {"nope": {"level": "INFO"}}}), logs()])
case("incremental level zero ignored for handler", [cfg(BASE), cfg({"incremental": True, "handlers": {"h": {"level": 0}}}), logs()])
case("incremental new logger", [cfg(BASE), cfg({"incremental": True, "loggers": {"b": {"level": "ERROR"}}}), logs()])
# --- cfg:// and ext:// -------------------------------------------------------------
case("cfg path and index", [cfg({"custom": {"levels": ["ERROR", "INFO"], "fmt": {"text": "CFG %(message)s"}}, "formatters": {"f": {"format": "cfg://custom.fmt.text"}}, "handlers": {"h": out(formatter="f", level="cfg://custom.levels[1]")}, "root": {"level": "cfg://custom[levels][0]", "handlers": ["h"]}}), logs()])
case("cfg handlers.email[toaddrs] style", [cfg({"handlers": {"a_file": {"class": "logging.FileHandler", "filename": "cfg://handlers.z_file[filename]"}, "z_file": {"class": "logging.FileHandler", "filename": "$DIR/shared.log"}}, "root": {"level": 10, "handlers": ["a_file"]}}), logs()])
case("cfg dangling", [cfg({"handlers": {"h": out(level="cfg://nowhere.x")}, "root": {"handlers": ["h"]}}), logs()])
case("() StreamHandler with ext stdout", [cfg({"formatters": FMT, "handlers": {"h": {"()": "logging.StreamHandler", "stream": "ext://sys.stdout", "formatter": "f"}}, "root": {"level": 10, "handlers": ["h"]}}), logs()])
case("dot property terminator", [cfg({"handlers": {"h": out(**{".": {"terminator": " <<\n"}})}, "root": {"level": 10, "handlers": ["h"]}}), logs()])
# --- file handlers -------------------------------------------------------------------
case("file append", [{"write": ["app.log", "old line\n"]}, cfg({"formatters": FMT, "handlers": {"fh": {"class": "logging.FileHandler", "filename": "$DIR/app.log", "formatter": "f"}}, "root": {"level": 10, "handlers": ["fh"]}}), logs()])
case("file mode w truncates", [{"write": ["app.log", "old line\n"]}, cfg({"formatters": FMT, "handlers": {"fh": {"class": "logging.FileHandler", "filename": "$DIR/app.log", "mode": "w", "formatter": "f"}}, "root": {"level": 10, "handlers": ["fh"]}}), logs()])
case("file delay, nothing logged", [cfg({"handlers": {"fh": {"class": "logging.FileHandler", "filename": "$DIR/never.log", "delay": True}}, "root": {"level": 50, "handlers": ["fh"]}}), logs(levels=(10,))])
case("file no delay creates empty", [cfg({"handlers": {"fh": {"class": "logging.FileHandler", "filename": "$DIR/empty.log"}}, "root": {"level": 50, "handlers": ["fh"]}}), logs(levels=(10,))])
case("file encoding utf-8 and unicode", [cfg({"handlers": {"fh": {"class": "logging.FileHandler", "filename": "$DIR/u.log", "encoding": "utf-8"}}, "root": {"level": 10, "handlers": ["fh"]}}), {"log": [["a", 20, "héllo wörld ✓ 日本"]]}])
case("rotating file", [cfg({"formatters": FMT, "handlers": {"r": {"class": "logging.handlers.RotatingFileHandler", "filename": "$DIR/rot.log", "maxBytes": 200, "backupCount": 3, "formatter": "f"}}, "root": {"level": 10, "handlers": ["r"]}}), logs()])
case("rotating file no backups never rolls", [cfg({"handlers": {"r": {"class": "logging.handlers.RotatingFileHandler", "filename": "$DIR/rot.log", "maxBytes": 50}}, "root": {"level": 10, "handlers": ["r"]}}), logs()])
case("rotating mode w without maxBytes truncates", [{"write": ["rot.log", "old\n"]}, cfg({"handlers": {"r": {"class": "logging.handlers.RotatingFileHandler", "filename": "$DIR/rot.log", "mode": "w"}}, "root": {"level": 10, "handlers": ["r"]}}), logs(names=("a",))])
case("rotating mode w with maxBytes appends", [{"write": ["rot.log", "old\n"]}, cfg({"handlers": {"r": {"class": "logging.handlers.RotatingFileHandler", "filename": "$DIR/rot.log", "mode": "w", "maxBytes": 1000, "backupCount": 1}}, "root": {"level": 10, "handlers": ["r"]}}), logs(names=("a",))])
case("file delay mode w truncates at first record", [{"write": ["d.log", "old\n"]}, cfg({"handlers": {"fh": {"class": "logging.FileHandler", "filename": "$DIR/d.log", "mode": "w", "delay": True}}, "root": {"level": 10, "handlers": ["fh"]}}), logs(names=("a",))])
case("timed rotating file", [cfg({"formatters": FMT, "handlers": {"t": {"class": "logging.handlers.TimedRotatingFileHandler", "filename": "$DIR/timed.log", "when": "midnight", "backupCount": 7, "utc": True, "formatter": "f"}}, "root": {"level": 10, "handlers": ["t"]}}), logs()])
case("timed rotating when H interval", [cfg({"handlers": {"t": {"class": "logging.handlers.TimedRotatingFileHandler", "filename": "$DIR/timed.log", "when": "h", "interval": 6}}, "root": {"level": 10, "handlers": ["t"]}}), logs()])
case("watched file", [cfg({"formatters": FMT, "handlers": {"w": {"class": "logging.handlers.WatchedFileHandler", "filename": "$DIR/watched.log", "formatter": "f"}}, "root": {"level": 10, "handlers": ["w"]}}), logs()])
case("null handler silences last resort", [cfg({"handlers": {"n": {"class": "logging.NullHandler"}}, "root": {"handlers": ["n"]}}), logs()])
case("reconfigure replaces handlers", [cfg({"formatters": FMT, "handlers": {"fh": {"class": "logging.FileHandler", "filename": "$DIR/one.log", "formatter": "f"}}, "root": {"level": 10, "handlers": ["fh"]}}), logs(tag="first"), cfg({"formatters": FMT, "handlers": {"fh": {"class": "logging.FileHandler", "filename": "$DIR/two.log", "formatter": "f"}}, "root": {"level": 10, "handlers": ["fh"]}}), logs(tag="second")])
# --- cookbook recipes -----------------------------------------------------------------
case("recipe 10 django example, classes swapped", [{"loggers": ["django.db", "other"]}, cfg({"disable_existing_loggers": True,
    "formatters": {"verbose": {"format": "%(levelname)s %(asctime)s %(module)s %(process)d %(thread)d %(message)s"}, "simple": {"format": "%(levelname)s %(message)s"}},
    "filters": {"special": {"()": "project.logging.SpecialFilter", "foo": "bar"}},
    "handlers": {"null": {"level": "DEBUG", "class": "logging.NullHandler"}, "console": {"level": "DEBUG", "class": "logging.StreamHandler", "formatter": "simple", "stream": "ext://sys.stdout"}, "mail_admins": {"level": "ERROR", "class": "logging.FileHandler", "filename": "$DIR/mail_admins.log", "filters": ["special"]}},
    "loggers": {"django": {"handlers": ["null"], "propagate": True, "level": "INFO"}, "django.request": {"handlers": ["mail_admins"], "level": "ERROR", "propagate": False}, "myproject.custom": {"handlers": ["console", "mail_admins"], "level": "INFO", "filters": ["special"]}}}),
    logs(names=("django", "django.request", "django.db", "myproject.custom", "other")), {"log": [["myproject.custom", 40, "foo bar"], ["django.request", 50, "bar none"]]}],
    py_prelude="import sys, types\nclass SpecialFilter(logging.Filter):\n    def __init__(self, foo=None):\n        self.foo = foo\n    def filter(self, record):\n        return not self.foo or self.foo not in record.msg\nm = types.ModuleType('project.logging'); m.SpecialFilter = SpecialFilter\nsys.modules['project'] = types.ModuleType('project'); sys.modules['project'].logging = m; sys.modules['project.logging'] = m\n")
case("recipe 13 owned file handler", [cfg({"disable_existing_loggers": False, "formatters": {"default": {"format": "%(levelname)s %(name)s %(message)s"}}, "handlers": {"file": {"()": "ext://__main__.owned_file_handler", "level": "DEBUG", "formatter": "default", "owner": ["root", "root"], "filename": "$DIR/chowntest.log", "mode": "w", "encoding": "utf-8"}}, "root": {"handlers": ["file"], "level": "DEBUG"}}), {"log": [["mylogger", 10, "A debug message"]]}],
    py_prelude="import os, shutil\ndef owned_file_handler(filename, mode='a', encoding=None, owner=None):\n    if owner:\n        if not os.path.exists(filename):\n            open(filename, 'a').close()\n        shutil.chown(filename, *owner)\n    return logging.FileHandler(filename, mode, encoding)\n")
case("file handler owner and permissions keys", [cfg({"handlers": {"fh": {"class": "logging.FileHandler", "filename": "$DIR/p.log", "permissions": "0640", "owner": ["root", "root"]}}, "root": {"level": 10, "handlers": ["fh"]}}), logs()], extension="permissions/owner are sawmill keys; CPython's FileHandler takes neither")
# --- refusals both make ---------------------------------------------------------------
def bad(name, conf, **extra):
    case(name, [cfg({"formatters": FMT, "handlers": {"h": out(formatter="f")}, "root": {"level": 10, "handlers": ["h"]}}), logs(names=("a",), tag="before"), {"config": conf}, logs(names=("a",), tag="after")], **extra)
bad("no version", {"root": {"level": 10}})
bad("version 2", {"version": 2})
bad("unknown class", {"version": 1, "handlers": {"x": {"class": "logging.NoSuchHandler"}}, "root": {"handlers": ["x"]}})
bad("unknown handler kwarg", {"version": 1, "handlers": {"x": {"class": "logging.handlers.RotatingFileHandler", "filename": "$DIR/r.log", "maxbytes": 10}}, "root": {"handlers": ["x"]}})
HALF = "CPython has already disabled logger 'a' when it refuses the root entry; sawmill changes nothing"
bad("bad level name", {"version": 1, "root": {"level": "LOUD"}}, outcome_only=HALF)
bad("lowercase level name", {"version": 1, "root": {"level": "debug"}}, outcome_only=HALF)
bad("numeric string level", {"version": 1, "handlers": {"x": out(level="10")}, "root": {"handlers": ["x"]}})
bad("dangling formatter", {"version": 1, "handlers": {"x": out(formatter="nope")}, "root": {"handlers": ["x"]}})
bad("dangling handler in logger", {"version": 1, "loggers": {"a": {"handlers": ["nope"]}}})
bad("dangling filter", {"version": 1, "handlers": {"x": out(filters=["nope"])}, "root": {"handlers": ["x"]}})
bad("bad style", {"version": 1, "formatters": {"g": {"format": "%(message)s", "style": "#"}}})
bad("bad percent format", {"version": 1, "formatters": {"g": {"format": "%(message)z"}}, "handlers": {"x": out(formatter="g")}, "root": {"handlers": ["x"]}})
bad("bad brace format", {"version": 1, "formatters": {"g": {"format": "{message", "style": "{"}}})
bad("unopenable file", {"version": 1, "handlers": {"x": {"class": "logging.FileHandler", "filename": "$DIR/no/such/dir/x.log"}}, "root": {"handlers": ["x"]}})
bad("file missing filename", {"version": 1, "handlers": {"x": {"class": "logging.FileHandler"}}, "root": {"handlers": ["x"]}})
bad("bad timed when", {"version": 1, "handlers": {"x": {"class": "logging.handlers.TimedRotatingFileHandler", "filename": "$DIR/t.log", "when": "fortnight"}}, "root": {"handlers": ["x"]}}, outcome_only="CPython creates t.log before it refuses the schedule; sawmill creates nothing")
bad("bad ext stream", {"version": 1, "handlers": {"x": {"class": "logging.StreamHandler", "stream": "ext://sys.nothing"}}, "root": {"handlers": ["x"]}})
case("w file refused later keeps content", [{"write": ["keep.log", "precious\n"]}, {"config": {"version": 1, "handlers": {"a": {"class": "logging.FileHandler", "filename": "$DIR/keep.log", "mode": "w"}, "b": {"class": "logging.StreamHandler", "level": "LOUD"}}, "root": {"handlers": ["a", "b"]}}}], outcome_only="CPython truncates keep.log before refusing; sawmill refuses first and keeps it")
bad("unknown formatter key", {"version": 1, "formatters": {"g": {"format": "%(message)s", "colour": "red"}}}, stricter="CPython ignores unknown formatter keys; sawmill names them")
bad("unknown logger key", {"version": 1, "loggers": {"a": {"level": "INFO", "handler": ["h"]}}}, stricter="CPython ignores unknown logger keys; sawmill names them")
case("mode r", [{"write": ["r.log", ""]}, {"config": {"version": 1, "handlers": {"x": {"class": "logging.FileHandler", "filename": "$DIR/r.log", "mode": "r"}}, "root": {"handlers": ["x"]}}}], stricter="CPython opens a log for reading and fails at every record; sawmill refuses the mode")
json.dump(cases, open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "dict_cases.json"), "w"), indent=1, ensure_ascii=False)
print(len(cases))
