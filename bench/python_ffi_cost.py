"""Per-call cost of the two FFI layers the Python package could use, on
libsawmill's own logging call: ctypes (chosen) and cffi in ABI mode.

    python3 bench/python_ffi_cost.py [path/to/libsawmill.so]

"disabled": sawmill_logger_is_enabled_for on a level below the logger's
(what a disabled call would cost if it crossed the FFI; the package reads
the logger's threshold field instead, also measured). "enabled": sawmill_log
of a constant message to a logger whose only handler is a NullHandler."""

import ctypes
import os
import sys
import timeit

path = sys.argv[1] if len(sys.argv) > 1 else os.environ.get(
    "SAWMILL_LIBRARY", os.path.join(os.path.dirname(__file__), "..", "target", "release",
                                    "libsawmill.so"))
N = 200_000


def per_call(stmt, glb):
    best = min(timeit.repeat(stmt, globals=glb, number=N, repeat=5))
    return best / N * 1e9


lib = ctypes.CDLL(path, mode=ctypes.RTLD_GLOBAL)
lib.sawmill_get_logger.restype = ctypes.c_void_p
lib.sawmill_get_logger.argtypes = [ctypes.c_char_p]
lib.sawmill_null_handler_new.restype = ctypes.c_void_p
lib.sawmill_logger_add_handler.argtypes = [ctypes.c_void_p, ctypes.c_void_p]
lib.sawmill_logger_set_propagate.argtypes = [ctypes.c_void_p, ctypes.c_bool]
lib.sawmill_logger_set_level.argtypes = [ctypes.c_void_p, ctypes.c_int]
lib.sawmill_logger_is_enabled_for.argtypes = [ctypes.c_void_p, ctypes.c_int]
lib.sawmill_logger_is_enabled_for.restype = ctypes.c_bool
lib.sawmill_log.argtypes = [ctypes.c_void_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_int,
                            ctypes.c_char_p, ctypes.c_char_p]
lib.sawmill_log.restype = ctypes.c_int
ptr = lib.sawmill_get_logger(b"ffi.cost")
lib.sawmill_logger_add_handler(ptr, lib.sawmill_null_handler_new())
lib.sawmill_logger_set_propagate(ptr, False)
lib.sawmill_logger_set_level(ptr, 20)
threshold = ctypes.c_int64.from_address(ptr)

results = {}
g = {"lib": lib, "ptr": ptr, "threshold": threshold}
results["ctypes disabled (is_enabled_for call)"] = per_call(
    "lib.sawmill_logger_is_enabled_for(ptr, 10)", g)
results["ctypes disabled (threshold field read)"] = per_call("10 >= threshold.value", g)
results["ctypes enabled (sawmill_log)"] = per_call(
    "lib.sawmill_log(ptr, 20, b'f.py', 1, b'fn', b'message')", g)

try:
    import cffi
except ImportError:
    cffi = None
if cffi is not None:
    ffi = cffi.FFI()
    ffi.cdef("""
        typedef struct sawmill_logger sawmill_logger;
        bool sawmill_logger_is_enabled_for(const sawmill_logger *l, int level);
        int sawmill_log(sawmill_logger *l, int level, const char *file, int line,
                        const char *func, const char *msg);
    """)
    clib = ffi.dlopen(path)
    cptr = ffi.cast("sawmill_logger *", ptr)
    cthr = ffi.cast("long long *", ptr)
    g = {"clib": clib, "cptr": cptr, "cthr": cthr}
    results["cffi disabled (is_enabled_for call)"] = per_call(
        "clib.sawmill_logger_is_enabled_for(cptr, 10)", g)
    results["cffi disabled (threshold field read)"] = per_call("10 >= cthr[0]", g)
    results["cffi enabled (sawmill_log)"] = per_call(
        "clib.sawmill_log(cptr, 20, b'f.py', 1, b'fn', b'message')", g)

for k, v in results.items():
    print("%-42s %8.1f ns" % (k, v))
