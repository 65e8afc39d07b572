"""sawmill.bridge: records a third-party library logs through the stdlib's
``logging`` land in a sawmill RotatingFileHandler, formatted as the stdlib's
own RotatingFileHandler formats them (CPython is the oracle)."""

import os
import subprocess
import sys
import textwrap

from recipes import mask

THIRD_PARTY = '''
import logging

log = logging.getLogger("thirdparty.db")


def work():
    log.debug("connecting to %s:%d", "db1", 5432)
    log.info("connected", extra={"peer": "db1"})
    for i in range(6):
        log.warning("slow query %d took %.1f ms", i, 12.5 * i)
    try:
        {}["missing"]
    except KeyError:
        log.exception("lookup failed")
    logging.getLogger("thirdparty").error("done %(n)s", {"n": 3})
'''

FMT = ("%(asctime)s %(name)s %(levelname)s %(module)s %(funcName)s %(lineno)d "
       "%(filename)s %(message)s")

WITH_SAWMILL = '''
import sys
import sawmill, sawmill.handlers, sawmill.bridge
sawmill.bridge.install()
h = sawmill.handlers.RotatingFileHandler(sys.argv[1], maxBytes=400, backupCount=3)
h.setFormatter(sawmill.Formatter(%r))
log = sawmill.getLogger("thirdparty")
log.setLevel(sawmill.DEBUG)
log.addHandler(h)
import thirdparty
thirdparty.work()
''' % FMT

WITH_STDLIB = '''
import sys
import logging, logging.handlers
h = logging.handlers.RotatingFileHandler(sys.argv[1], maxBytes=400, backupCount=3)
h.setFormatter(logging.Formatter(%r))
log = logging.getLogger("thirdparty")
log.setLevel(logging.DEBUG)
log.addHandler(h)
import thirdparty
thirdparty.work()
''' % FMT


def run(tmp_path, name, program):
    work = tmp_path / name
    work.mkdir()
    (work / "thirdparty.py").write_text(THIRD_PARTY)
    (work / "main.py").write_text(program)
    logs = work / "logs"
    logs.mkdir()
    proc = subprocess.run([sys.executable, "main.py", str(logs / "app.log")], cwd=work,
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr == ""
    files = {}
    for f in sorted(os.listdir(logs)):
        files[f] = mask((logs / f).read_text().replace(str(work), "<work>"))
    return files


def test_stdlib_records_land_in_sawmill_rotating_handler(tmp_path):
    want = run(tmp_path, "stdlib", WITH_STDLIB)
    got = run(tmp_path, "sawmill", WITH_SAWMILL)
    assert sorted(want) == ["app.log", "app.log.1", "app.log.2", "app.log.3"]
    assert got == want
    assert "KeyError: 'missing'" in "".join(want.values())
