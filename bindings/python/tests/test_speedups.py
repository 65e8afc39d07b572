"""The enabled logging call in C (sawmill/_speedups.c), differential: one
script of call shapes runs with CPython's logging, with sawmill (the C call)
and with sawmill under SAWMILL_NO_SPEEDUPS=1 (the Python method); the three
outputs must be the same."""

import os
import subprocess
import sys
import textwrap

import pytest

from recipes import mask

SCRIPT = textwrap.dedent(r'''
    import sys, threading
    out = logging.StreamHandler(sys.stdout)
    out.setFormatter(logging.Formatter(
        "%(name)s %(levelname)s %(levelno)d %(filename)s:%(lineno)d %(funcName)s %(module)s "
        "%(threadName)s | %(message)s"))
    log = logging.getLogger("fast")
    log.addHandler(out)
    log.setLevel(logging.INFO)
    log.propagate = False

    def shapes():
        log.info("plain")
        log.info("one %s", "arg")
        log.info("two %s %d", "args", 2)
        log.info("percent %d without args")
        log.info("float %.2f int %x none %s bool %s", 1.5, 255, None, True)
        log.info("tuple %s list %s bytes %s", (1, 2), [3], b"b")
        log.warning("mapping %(k)s", {"k": "v"})
        log.info("object %s", object)
        log.info(12345)
        log.info(["not", "a", "str"])
        log.debug("below the level %s", "x")
        log.error("bad %d", "x")
        log.info("too few %s %s", "x")
        log.critical("utf-8 \u00e9\u4e2d\U0001f600")
        log.info("ints %d %i %u %s", -7, 0, 2**63 - 1, -2**63)
        log.info("big %d %s", 2**64, -2**70)
        log.info("bool %d %s", True, False)
        log.info("100%% of %s", "it")
        log.info("100%% no args")
        log.info("trailing %", "x")
        log.info("width %5s|%-3d|", "a", 1)
        log.info("non-ascii %s in \u00e9 %s", "\u4e2d\u6587", "\U0001f600")
        log.info("repr %r %s", "q", "x")
        log.info("many %s" + " %s" * 9, *range(10))
        log.info("long %s", "y" * 3000)
        log.info("too many", "x")
        log.log(logging.INFO, "via log %d %s", 1, "x")
        log.log(logging.WARNING, "via log, no args %d")
        log.log(25, "custom level %s", "y")
        log.log(5, "below the level")
        log.log(logging.ERROR, "log with %(k)s", {"k": "mapping"})
        try:
            log.log("INFO", "a str level")
        except TypeError as e:
            print("TypeError", e)
        try:
            log.log()
        except TypeError as e:
            print("TypeError")
        for i in range(3):
            log.info("loop %d", i)
        log.info("line 1"); log.info("line 1 again")
        log.fatal("fatal")
        f = log.info
        f("bound %s", "method")
        logging.Logger.info(log, "unbound %s", "call")
        (lambda: log.info("in a lambda"))()
        exec("log.info('in exec')")
        [log.info("comprehension %d", i) for i in range(2)]

    class K:
        def method(self):
            log.info("method of %s", type(self).__name__)

    shapes()
    K().method()
    log.setLevel(logging.ERROR)
    log.info("now disabled")
    log.error("still on")
    log.disabled = True
    log.critical("logger disabled")
    log.disabled = False
    log.setLevel(logging.INFO)

    def worker():
        log.info("from a thread")
    t = threading.Thread(target=worker, name="worker-1")
    t.start(); t.join()

    class Drop(logging.Filter):
        def filter(self, record):
            return "drop" not in record.getMessage()
    flt = Drop()
    log.addFilter(flt)
    log.info("with a python filter %s", "x")
    log.info("with a python filter %s", "drop")
    log.removeFilter(flt)
    log.info("filter removed %s", "y")
    log.info("kwargs", extra={"k": 1})
    log.info("stack", stacklevel=1)
    logging.raiseExceptions = False
    log.error("silent %d", "y")
    print("done")
''')


def _run(header, env_extra):
    env = dict(os.environ)
    env.pop("PYTHONUNBUFFERED", None)
    env.update(env_extra)
    proc = subprocess.run([sys.executable, "-c", header + SCRIPT], capture_output=True,
                          text=True, errors="backslashreplace", timeout=60,
                          cwd=os.path.dirname(__file__), env=env)
    out = "status %d\n--stdout\n%s--stderr\n%s" % (proc.returncode, proc.stdout, proc.stderr)
    # error reports: keep what the stdlib's handleError prints first
    lines = [line for line in mask(out).splitlines()
             if not line.startswith(("  File ", "    ", "Traceback", "During handling"))
             and line.strip() and not set(line.strip()) <= set("~^")]
    return "\n".join(lines)


def test_c_call_same_as_stdlib_and_python_method():
    want = _run("import logging\n", {})
    fast = _run("import sawmill as logging\n", {})
    slow = _run("import sawmill as logging\n", {"SAWMILL_NO_SPEEDUPS": "1"})
    assert fast == want
    assert slow == want
    assert "done" in want


@pytest.mark.skipif(sys.version_info < (3, 11) or sys.implementation.name != "cpython",
                    reason="the extension is built for CPython 3.11+")
def test_extension_built_and_used():
    import sawmill

    assert sawmill._speedups is not None, "sawmill._speedups was not built"
    assert type(sawmill.Logger.info).__name__ == "LevelMethod"
    assert sawmill.Logger.info.__name__ == "info"


THREADS = textwrap.dedent(r'''
    import sys, threading
    path = sys.argv[1]
    log = logging.getLogger("threads")
    log.setLevel(logging.INFO)
    log.propagate = False
    h = logging.FileHandler(path, mode="w")
    h.setFormatter(logging.Formatter("%(threadName)s %(funcName)s %(lineno)d %(message)s"))
    log.addHandler(h)

    def work(k):
        for i in range(2000):
            log.info("thread %d record %d", k, i)
            log.log(logging.WARNING, "log %s", i) if i % 500 == 0 else None

    threads = [threading.Thread(target=work, args=(k,), name="t%d" % k) for k in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    h.close()
''')


def test_threads_same_records_as_stdlib(tmp_path):
    """Four threads at once (the C call releases the GIL in sawmill_log): the
    same lines as CPython's logging writes, in any order."""
    outs = []
    for name, header in (("std", "import logging\n"), ("c", "import sawmill as logging\n")):
        path = str(tmp_path / (name + ".log"))
        subprocess.run([sys.executable, "-c", header + THREADS, path], check=True, timeout=120,
                       cwd=os.path.dirname(__file__))
        with open(path) as f:
            outs.append(sorted(f.read().splitlines()))
    assert len(outs[0]) == 4 * 2004
    assert outs[1] == outs[0]
