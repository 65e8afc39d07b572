"""sawmill.handlers and sawmill.config against the stdlib's (differential:
each snippet runs under CPython's logging, then under sawmill)."""

from test_api import same

# Snippet prologue: `handlers`/`config` are the module's submodules, `d` a
# directory of the run's own (CPython's run: a, sawmill's: b).
PROLOGUE = """
import sys, os
__import__(logging.__name__ + ".handlers")
__import__(logging.__name__ + ".config")
handlers = sys.modules[logging.__name__ + ".handlers"]
config = sys.modules[logging.__name__ + ".config"]
d = os.path.join(%r, "a" if logging.__name__ == "logging" else "b")
os.makedirs(d, exist_ok=True)
def show_files():
    for name in sorted(os.listdir(d)):
        print("==", name)
        print(open(os.path.join(d, name)).read(), end="")
    sys.stdout.flush()
"""


def test_rotating_timed_watched(tmp_path):
    same(PROLOGUE % str(tmp_path) + """
log = logging.getLogger("rot")
log.setLevel(logging.DEBUG)
r = handlers.RotatingFileHandler(os.path.join(d, "r.log"), maxBytes=60, backupCount=2)
r.setFormatter(logging.Formatter("%(levelname)s %(message)s"))
log.addHandler(r)
for i in range(12):
    log.info("record number %d", i)
r.close()
log.removeHandler(r)
t = handlers.TimedRotatingFileHandler(os.path.join(d, "t.log"), when="midnight", backupCount=3)
log.addHandler(t)
log.warning("timed")
t.close()
log.removeHandler(t)
w = handlers.WatchedFileHandler(os.path.join(d, "w.log"))
log.addHandler(w)
log.warning("before the move")
os.rename(os.path.join(d, "w.log"), os.path.join(d, "w.log.old"))
import time
time.sleep(0.1)  # sawmill checks the path at most every 50 ms (the stdlib: every record)
log.warning("after the move")
w.close()
show_files()
""")


def test_memory_and_queue_handlers(tmp_path):
    same(PROLOGUE % str(tmp_path) + """
import queue
log = logging.getLogger("mem")
log.setLevel(logging.DEBUG)
out = logging.StreamHandler(sys.stdout)
out.setFormatter(logging.Formatter("%(name)s %(levelname)s %(message)s %(threadName)s"))
m = handlers.MemoryHandler(3, flushLevel=logging.ERROR, target=out)
log.addHandler(m)
log.info("one")
log.info("two")
print("-- nothing yet"); sys.stdout.flush()
log.info("three: capacity reached")
log.info("four")
log.error("five: flush level")
log.info("six")
m.flush()
log.info("seven: dropped by BufferingHandler.flush")
super(handlers.MemoryHandler, m).flush()
m.setTarget(None)
m.close()
log.removeHandler(m)
q = queue.Queue()
qh = handlers.QueueHandler(q)
log.addHandler(qh)
listener = handlers.QueueListener(q, out)
listener.start()
log.warning("through the queue %s", "ok")
logging.getLogger("mem.child").error("and a child's")
listener.stop()
sys.stdout.flush()
""")


def test_dict_config_and_file_config(tmp_path):
    ini = tmp_path / "conf.ini"
    ini.write_text("""
[loggers]
keys=root,app

[handlers]
keys=out

[formatters]
keys=plain

[logger_root]
level=WARNING
handlers=out

[logger_app]
level=DEBUG
handlers=
qualname=app

[handler_out]
class=StreamHandler
level=INFO
formatter=plain
args=(sys.stdout,)

[formatter_plain]
format=ini %(name)s %(levelname)s %(message)s
""")
    same(PROLOGUE % str(tmp_path) + """
config.fileConfig(%r)
logging.getLogger("app").debug("below the handler")
logging.getLogger("app").info("from app")
logging.getLogger("other").warning("from other")
sys.stdout.flush()
class Tag(logging.Filter):
    def __init__(self, tag):
        self.tag = tag
    def filter(self, record):
        record.tag = self.tag
        return True
def make_handler(prefix):
    h = logging.StreamHandler(sys.stdout)
    h.setFormatter(logging.Formatter(prefix + " %%(tag)s %%(message)s"))
    return h
config.dictConfig({
    "version": 1,
    "filters": {"tag": {"()": Tag, "tag": "T1"}},
    "handlers": {"custom": {"()": make_handler, "prefix": "custom", "filters": ["tag"]},
                 "file": {"class": "logging.FileHandler", "filename": os.path.join(d, "f.log"),
                          "mode": "w", "formatter": "brace"}},
    "formatters": {"brace": {"format": "{levelname}:{message}", "style": "{"}},
    "loggers": {"dc": {"handlers": ["custom", "file"], "level": "INFO", "propagate": False}},
})
logging.getLogger("dc").info("configured %%d", 1)
logging.getLogger("app").warning("app was disabled by dictConfig")
try:
    config.dictConfig({"version": 1, "handlers": {"bad": {"class": "logging.NoSuchHandler"}}})
except ValueError as e:
    print("ValueError")
logging.shutdown()
show_files()
""" % str(ini))


def test_sawmill_extras_and_class_names(tmp_path):
    """sawmill's own classes from Python, and dictConfig accepting the
    sawmill.* spellings of the stdlib's classes."""
    import json
    import subprocess
    import sys

    code = """
import sys, json
import sawmill, sawmill.config
c = sawmill.ColorStreamHandler(sys.stderr, mode="always", colors={"WARNING": "35"})
c.setFormatter(sawmill.Formatter("%(levelname)-8s|%(message)s"))
sawmill.getLogger("c").addHandler(c)
sawmill.getLogger("c").warning("colour")
j = sawmill.StreamHandler(sys.stderr)
j.setFormatter(sawmill.JSONFormatter(fields=["name", "levelname", "message"]))
sawmill.getLogger("j").addHandler(j)
sawmill.getLogger("j").warning("json %s", "é")
sawmill.config.dictConfig({"version": 1, "disable_existing_loggers": False,
    "handlers": {"r": {"class": "sawmill.handlers.RotatingFileHandler",
                       "filename": sys.argv[1], "maxBytes": 1000, "formatter": "f"}},
    "formatters": {"f": {"class": "sawmill.Formatter", "format": "R %(message)s"}},
    "root": {"handlers": ["r"]}})
sawmill.warning("to rotating")
"""
    path = tmp_path / "r.log"
    proc = subprocess.run([sys.executable, "-c", code, str(path)], capture_output=True,
                          text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    lines = proc.stderr.splitlines()
    assert lines[0] == "\x1b[35mWARNING\x1b[0m |colour"
    assert json.loads(lines[1]) == {"name": "j", "levelname": "WARNING", "message": "json é"}
    assert lines[1] == json.dumps({"name": "j", "levelname": "WARNING", "message": "json é"})
    assert path.read_text() == "R to rotating\n"


def test_listen_applies_a_configuration_sent_over_a_socket(tmp_path):
    import subprocess
    import sys

    code = r"""
import json, socket, struct, sys, time
import sawmill, sawmill.config
t = sawmill.config.listen(0, verify=lambda body: body if b"refuse" not in body else None)
t.start()
port = t.bound_port
def send(doc):
    body = json.dumps(doc).encode()
    with socket.create_connection(("127.0.0.1", port)) as s:
        s.sendall(struct.pack(">L", len(body)) + body)
send({"version": 1, "handlers": {"f": {"class": "logging.FileHandler", "filename": sys.argv[1],
      "formatter": "x"}}, "formatters": {"x": {"format": "L %(levelname)s %(message)s"}},
      "root": {"handlers": ["f"], "level": "INFO"}})
deadline = time.time() + 10
while not sawmill.getLogger().hasHandlers() and time.time() < deadline:
    time.sleep(0.02)
send({"version": 1, "incremental": True, "refuse": 1, "root": {"level": "DEBUG"}})
time.sleep(0.3)  # (applied by now, were it not refused by verify)
sawmill.getLogger("net").debug("not at INFO")
sawmill.getLogger("net").info("configured over the wire")
sawmill.config.stopListening()
"""
    path = tmp_path / "l.log"
    proc = subprocess.run([sys.executable, "-c", code, str(path)], capture_output=True,
                          text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert path.read_text() == "L INFO configured over the wire\n"


def test_get_handler_by_name(tmp_path):
    """Python 3.12's getHandlerByName (not in the CPython 3.11 oracle): a
    handler dictConfig made inside sawmill, usable from Python."""
    import subprocess
    import sys

    code = """
import sys, sawmill, sawmill.config
sawmill.config.dictConfig({"version": 1, "handlers": {"file": {
    "class": "logging.FileHandler", "filename": sys.argv[1], "mode": "w"}},
    "root": {"handlers": ["file"], "level": "INFO"}})
fh = sawmill.getHandlerByName("file")
sawmill.info("plain")
fh.setFormatter(sawmill.Formatter("named: %(message)s"))
sawmill.info("formatted")
fh.setLevel(sawmill.ERROR)
sawmill.warning("below its level")
print(sawmill.getHandlerByName("nope"))
"""
    path = tmp_path / "n.log"
    proc = subprocess.run([sys.executable, "-c", code, str(path)], capture_output=True,
                          text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == "None\n"
    assert path.read_text() == "plain\nnamed: formatted\n"


def test_async_handler_calls_python_handlers_from_its_thread(tmp_path):
    """sawmill's own queue (AsyncHandler): its listener thread, inside the
    library, hands records to a Python Handler subclass and a file handler;
    everything is delivered by shutdown at exit."""
    import subprocess
    import sys

    code = """
import sys, threading
import sawmill, sawmill.handlers
seen = []
class Collect(sawmill.Handler):
    def emit(self, record):
        seen.append((record.getMessage(), threading.current_thread() is threading.main_thread()))
f = sawmill.FileHandler(sys.argv[1], "w")
f.setFormatter(sawmill.Formatter("%(threadName)s %(message)s"))
q = sawmill.handlers.AsyncHandler(Collect(), f)
log = sawmill.getLogger("async")
log.addHandler(q)
for i in range(50):
    log.warning("record %d", i)
q.flush()
print(len(seen), seen[0], any(main for _, main in seen))
"""
    path = tmp_path / "a.log"
    proc = subprocess.run([sys.executable, "-c", code, str(path)], capture_output=True,
                          text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == "50 ('record 0', False) False\n"
    lines = path.read_text().splitlines()
    assert lines == ["MainThread record %d" % i for i in range(50)]
