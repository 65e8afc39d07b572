"""The package is typed (py.typed): mypy accepts it, and a program using it
is checked against its annotations."""

import os
import subprocess
import sys

import sawmill

PROGRAM = '''
import sawmill
import sawmill.handlers
import sawmill.config

log: sawmill.Logger = sawmill.getLogger("typed")
log.info("a %s", 1)
h = sawmill.handlers.RotatingFileHandler("x.log", maxBytes=10, backupCount=1)
h.setFormatter(sawmill.Formatter("%(message)s"))
log.addHandler(h)
level: int = log.getEffectiveLevel()
log.setLevel(sawmill.DEBUG)
sawmill.config.dictConfig({"version": 1})
'''

BAD = '''
import sawmill
sawmill.getLogger("typed").getEffectiveLevel().upper()
'''


def mypy(*args):
    return subprocess.run([sys.executable, "-m", "mypy", "--no-incremental",
                           "--cache-dir", os.devnull, *args], capture_output=True, text=True,
                          timeout=120)


def test_package_passes_mypy():
    package = os.path.dirname(sawmill.__file__)
    assert os.path.exists(os.path.join(package, "py.typed"))
    proc = mypy(package)
    assert proc.returncode == 0, proc.stdout


def test_programs_are_checked_against_the_annotations(tmp_path):
    good = tmp_path / "good.py"
    good.write_text(PROGRAM)
    proc = mypy(str(good))
    assert proc.returncode == 0, proc.stdout
    bad = tmp_path / "bad.py"
    bad.write_text(BAD)
    proc = mypy(str(bad))
    assert proc.returncode == 1 and '"int" has no attribute "upper"' in proc.stdout
