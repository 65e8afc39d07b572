"""A Python program and a C extension in one process: records from both reach
the same sawmill handlers, in order (one logger tree, one libsawmill)."""

import os
import subprocess
import sys
import textwrap

from conftest import REPO

C_SOURCE = r"""
#include "sawmill.h"

/* Logs through the C API on the logger Python also uses. */
int ext_log(const char *logger, const char *text) {
    sawmill_logger *l = sawmill_get_logger(logger);
    return (int)sawmill_log(l, SAWMILL_LEVEL_WARNING, "ext.c", 7, "ext_log", text);
}

/* The same logger object Python's getLogger(name) wraps? */
const void *ext_logger(const char *logger) {
    return sawmill_get_logger(logger);
}
"""

PROGRAM = r"""
import ctypes, sys
import sawmill as logging
import sawmill.handlers

log = logging.getLogger("mixed")
log.setLevel(logging.DEBUG)
h = sawmill.handlers.RotatingFileHandler(sys.argv[2], maxBytes=10000, backupCount=1)
h.setFormatter(logging.Formatter("%(name)s %(levelname)s %(filename)s:%(lineno)d %(message)s"))
log.addHandler(h)
seen = []
class Collect(logging.Handler):
    def emit(self, record):
        seen.append((record.filename, record.getMessage()))
log.addHandler(Collect())

ext = ctypes.CDLL(sys.argv[1])
ext.ext_log.argtypes = [ctypes.c_char_p, ctypes.c_char_p]
ext.ext_logger.restype = ctypes.c_void_p
ext.ext_logger.argtypes = [ctypes.c_char_p]
assert ext.ext_logger(b"mixed") == log._ptr, "two logger trees"
for i in range(3):
    log.info("python %d", i)
    assert ext.ext_log(b"mixed", b"c %d" % i) == 0
    ext.ext_log(b"mixed.child", b"child %d" % i)
logging.shutdown()
print(seen)
"""


def test_c_extension_and_python_share_handlers(tmp_path):
    import sawmill._lib

    ext = tmp_path / "libext.so"
    src = tmp_path / "ext.c"
    src.write_text(C_SOURCE)
    # Linked against the package's libsawmill (SONAME libsawmill.so.0): the
    # loader binds it to the copy the package already loaded.
    os.symlink(sawmill._lib.path, tmp_path / "libsawmill.so.0")
    subprocess.run(["cc", "-shared", "-fPIC", "-Wall", "-Wextra", "-Werror", "-o", str(ext),
                    str(src), "-I", os.path.join(REPO, "include"), str(tmp_path / "libsawmill.so.0")],
                   check=True)
    out = tmp_path / "mixed.log"
    prog = tmp_path / "prog.py"
    prog.write_text(PROGRAM)
    # No LD_LIBRARY_PATH, no rpath: libsawmill.so.0 can only be the copy
    # already loaded (matched by SONAME), never a second one.
    env = dict(os.environ)
    env.pop("LD_LIBRARY_PATH", None)
    proc = subprocess.run([sys.executable, str(prog), str(ext), str(out)], capture_output=True,
                          text=True, env=env, timeout=60)
    assert proc.returncode == 0, proc.stderr
    lines = out.read_text().splitlines()
    want = []
    for i in range(3):
        want.append("mixed INFO prog.py:%d python %d" % (PROGRAM.splitlines().index(
            '    log.info("python %d", i)') + 1, i))
        want.append("mixed WARNING ext.c:7 c %d" % i)
        want.append("mixed.child WARNING ext.c:7 child %d" % i)
    assert lines == want
    assert proc.stdout.strip() == str([(w.split()[2].split(":")[0], w.split(" ", 3)[3])
                                       for w in want])
