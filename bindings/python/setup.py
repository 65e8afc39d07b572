"""Bundles libsawmill.so into the package.

The library is the file named by SAWMILL_LIBRARY when set (an already built
libsawmill.so); otherwise `cargo build --release --lib` runs in the
repository this directory belongs to (CARGO_TARGET_DIR is honoured, so a
build tree that already exists is reused) and its libsawmill.so is copied.
"""

import os
import shutil
import subprocess
import sys

from setuptools import Extension, setup
from setuptools.command.build_py import build_py
from setuptools.dist import Distribution

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))


def built_library():
    given = os.environ.get("SAWMILL_LIBRARY")
    if given:
        if not os.path.isfile(given):
            raise SystemExit("SAWMILL_LIBRARY=%s: no such file" % given)
        return given
    if not os.path.isfile(os.path.join(REPO, "Cargo.toml")):
        raise SystemExit("sawmill: set SAWMILL_LIBRARY to a built libsawmill.so "
                         "(no Cargo.toml at %s to build one)" % REPO)
    subprocess.check_call(["cargo", "build", "--release", "--lib"], cwd=REPO)
    target = os.environ.get("CARGO_TARGET_DIR") or os.path.join(REPO, "target")
    if not os.path.isabs(target):
        target = os.path.join(REPO, target)
    return os.path.join(target, "release", "libsawmill.so")


class BuildWithLibrary(build_py):
    def run(self):
        super().run()
        dest = os.path.join(self.build_lib, "sawmill", "libsawmill.so")
        os.makedirs(os.path.dirname(dest), exist_ok=True)
        shutil.copyfile(built_library(), dest)


class BinaryDistribution(Distribution):
    """The wheel holds a native library: tag it for this platform."""

    def has_ext_modules(self):
        return True


# The enabled logging call in C (sawmill/_speedups.c, CPython 3.11+): optional,
# a failed compile leaves the pure-Python path, which behaves the same.
EXTENSIONS = [Extension("sawmill._speedups", ["sawmill/_speedups.c"], optional=True,
                        extra_compile_args=["-O2", "-std=gnu11"])
              ] if sys.version_info >= (3, 11) and sys.implementation.name == "cpython" else []

setup(cmdclass={"build_py": BuildWithLibrary}, distclass=BinaryDistribution,
      ext_modules=EXTENSIONS)
