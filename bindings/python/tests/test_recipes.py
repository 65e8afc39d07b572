"""The cookbook's Python scripts (examples/python), run unchanged but for the
import lines, print under sawmill what they print under CPython's logging."""

import os
import re
import sys

import pytest
from conftest import EXAMPLES
from recipes import run, to_sawmill

PY = os.path.join(EXAMPLES, "python")

SCRIPTS = ["recipe01", "recipe03", "recipe04", "recipe07", "recipe07_2", "recipe09",
           "recipe10", "recipe12", "recipe13", "recipe14", "recipe15", "recipe17",
           "recipe18", "recipe19"]


@pytest.mark.parametrize("name", SCRIPTS)
def test_recipe_prints_what_cpython_prints(name):
    script = os.path.join(PY, name + ".py")
    want = run(script, sys.executable)
    got = run(script, sys.executable, sawmill=True)
    assert got == want
    assert want["status"] == "0"


def test_recipe02_threads():
    """Two threads: the same lines (relativeCreated masked; the order of the
    threads' lines depends on timing, so compared sorted)."""
    script = os.path.join(PY, "recipe02.py")

    def lines(result):
        return sorted(re.sub(r"^ *\d+ ", "<rel> ", line) for line in result["stderr"].splitlines())

    want = lines(run(script, sys.executable))
    got = lines(run(script, sys.executable, sawmill=True))
    assert got == want
    assert len(want) == 9 and "<rel> Thread-1 (worker) Hi from myfunc" in want


def test_recipe06_client_to_cpython_receiver(tmp_path):
    """Recipe 6: CPython's cookbook receiver prints the same lines for the
    client script under sawmill (pickles from libsawmill) and under CPython."""
    sys.path.insert(0, EXAMPLES)
    from check_recipe06 import receive

    client = os.path.join(PY, "recipe06_client.py")
    with open(client) as f:
        source = to_sawmill(f.read())
    ported = tmp_path / "recipe06_client.py"
    ported.write_text(source)
    want = receive([sys.executable, client])
    got = receive([sys.executable, str(ported)])
    assert len(want) == 5
    assert got == want


def test_import_lines_are_the_only_change():
    for name in SCRIPTS + ["recipe02", "recipe06_client"]:
        with open(os.path.join(PY, name + ".py")) as f:
            source = f.read()
        ported = to_sawmill(source)
        changed = [(a, b) for a, b in zip(source.splitlines(), ported.splitlines()) if a != b]
        assert changed, name
        for old, new in changed:
            assert "import" in old and "sawmill" in new, (name, old, new)
