"""Logging from Python to a file: sawmill's Python package against CPython's
logging and picologging, in the same run (issue 14).

    python3 bench/python_bench.py [RECORDS]

Each contender runs in its own process: a logger "bench" (propagate off,
INFO) with a FileHandler (mode "w") formatting
"%(asctime)s - %(name)s - %(levelname)s - %(message)s", RECORDS calls of
logger.info("Hello logger: msg number %d", i), then 1,000,000 calls of a
disabled logger.debug. "sawmill buffered" adds sawmill's durability policy
(Handler.setBuffering(65536): a 64 KiB buffer flushed when full, at ERROR and
at exit; CPython and picologging write every record through, as plain
"sawmill" does). sawmill is imported as `import sawmill as logging`
(installed, or from bindings/python with SAWMILL_LIBRARY; a libsawmill is
looked for in target/release otherwise; an install also has the C extension
sawmill._speedups, the source tree only when built in place). Output on
/dev/shm, as bench/run.py does. Three rounds, each running every contender
once (so that a busy moment of a shared machine falls on all of them); the
best of the three per contender, by wall clock, and beside it the process's
CPU time per call (time.process_time: less sensitive to other jobs)."""

import os
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)

PROGRAM = r"""
import sys, time
MODULE
records, path = int(sys.argv[1]), sys.argv[2]
logger = logging.getLogger("bench")
logger.setLevel(logging.INFO)
logger.propagate = False
handler = logging.FileHandler(path, mode="w")
handler.setFormatter(logging.Formatter("%(asctime)s - %(name)s - %(levelname)s - %(message)s"))
logger.addHandler(handler)
if BUFFERED:
    handler.setBuffering(64 * 1024)
info = logger.info
start = time.perf_counter()
cpu = time.process_time()
for i in range(records):
    info("Hello logger: msg number %d", i)
handler.flush()
enabled = time.perf_counter() - start
enabled_cpu = time.process_time() - cpu
debug = logger.debug
start = time.perf_counter()
for i in range(1000000):
    debug("Hello logger: msg number %d", i)
disabled = time.perf_counter() - start
handler.close()
print(enabled / records * 1e6, disabled / 1000000 * 1e9, enabled_cpu / records * 1e6)
"""

CONTENDERS = {
    "CPython logging": ("import logging", False),
    "picologging": ("import picologging as logging", False),
    "sawmill": ("import sawmill as logging", False),
    "sawmill buffered": ("import sawmill as logging", True),
}


def main():
    records = int(sys.argv[1]) if len(sys.argv) > 1 else 200000
    env = dict(os.environ)
    try:
        import sawmill  # noqa: F401  (installed)
    except ImportError:
        env["PYTHONPATH"] = os.path.join(REPO, "bindings", "python")
        env.setdefault("SAWMILL_LIBRARY", os.path.join(REPO, "target", "release",
                                                       "libsawmill.so"))
    results = {}
    failed = set()
    shm = "/dev/shm" if os.path.isdir("/dev/shm") else None  # as bench/run.py
    with tempfile.TemporaryDirectory(dir=shm) as tmp:
        for _ in range(3):
            for name, (module, buffered) in CONTENDERS.items():
                if name in failed:
                    continue
                best = results.get(name)
                path = os.path.join(tmp, "out.log")
                proc = subprocess.run(
                    [sys.executable, "-c", PROGRAM.replace("MODULE", module).replace(
                        "BUFFERED", str(buffered)), str(records),
                     path], capture_output=True, text=True, env=env)
                if proc.returncode != 0:
                    print("%s failed: %s" % (name, proc.stderr.strip().splitlines()[-1]))
                    failed.add(name)
                    continue
                with open(path) as f:
                    lines = sum(1 for _ in f)
                assert lines == records, (name, lines)
                enabled, disabled, cpu = map(float, proc.stdout.split())
                if best is None:
                    best = (enabled, disabled, cpu)
                else:
                    best = (min(enabled, best[0]), min(disabled, best[1]), min(cpu, best[2]))
                results[name] = best
    base = results.get("CPython logging")
    print("%d records to a file, best of 3 (us per enabled call, ns per disabled call,"
          " CPU us per enabled call)" % records)
    for name, (enabled, disabled, cpu) in results.items():
        ratio = " %5.2fx CPython (CPU %5.2fx)" % (base[0] / enabled, base[2] / cpu) if base else ""
        print("%-16s %7.3f us %7.1f ns %7.3f us%s" % (name, enabled, disabled, cpu, ratio))
    for name in ("sawmill", "sawmill buffered"):
        if name in results and "picologging" in results:
            print("%s vs picologging: %.2fx" % (name, results["picologging"][0] /
                                                results[name][0]))


if __name__ == "__main__":
    main()
