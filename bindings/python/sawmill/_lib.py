"""Loads libsawmill and declares the C functions the package calls (ctypes).

The library is looked up in this order: one already loaded in the process
under its SONAME (a C extension or the host program linked it), the file
named by the environment variable SAWMILL_LIBRARY, the copy bundled in the
package. It is loaded RTLD_GLOBAL, so C code loaded later that needs
``libsawmill.so.0`` binds to this same copy: one logger tree per process.
"""

from __future__ import annotations

import ctypes
import os
from typing import Any
from ctypes import (
    CFUNCTYPE,
    POINTER,
    Structure,
    c_bool,
    c_char,
    c_char_p,
    c_double,
    c_int,
    c_int64,
    c_size_t,
    c_uint16,
    c_uint32,
    c_uint64,
    c_void_p,
)

SONAME = "libsawmill.so.0"


def _load() -> "tuple[ctypes.CDLL, str]":
    mode = ctypes.RTLD_GLOBAL
    try:
        return ctypes.CDLL(SONAME, mode=mode | os.RTLD_NOLOAD), SONAME
    except OSError:
        pass
    path = os.environ.get("SAWMILL_LIBRARY")
    if not path:
        here = os.path.dirname(os.path.abspath(__file__))
        path = os.path.join(here, "libsawmill.so")
    return ctypes.CDLL(path, mode=mode), path


lib, path = _load()

# Opaque handles are plain pointers (c_void_p) on the Python side.
handle = c_void_p


class Extra(Structure):
    _fields_ = [
        ("key", c_char_p),
        ("kind", c_int),
        ("str_value", c_char_p),
        ("int_value", c_int64),
        ("float_value", c_double),
        ("bool_value", c_bool),
    ]


class BasicConfig(Structure):
    _fields_ = [
        ("level", c_int),
        ("format", c_char_p),
        ("datefmt", c_char_p),
        ("style", c_char),
        ("filename", c_char_p),
        ("filemode", c_char_p),
        ("stream_fd", c_int),
        ("force", c_bool),
    ]


class SdParam(Structure):
    _fields_ = [("sd_id", c_char_p), ("name", c_char_p), ("value", c_char_p)]


class SyslogOptions(Structure):
    _fields_ = [
        ("path", c_char_p),
        ("host", c_char_p),
        ("port", c_uint16),
        ("socktype", c_int),
        ("facility", c_char_p),
        ("protocol", c_int),
        ("ident", c_char_p),
        ("omit_nul", c_bool),
        ("hostname", c_char_p),
        ("app_name", c_char_p),
        ("procid", c_char_p),
        ("msgid", c_char_p),
        ("structured_data", POINTER(SdParam)),
        ("structured_data_len", c_size_t),
        ("framing", c_int),
        ("bom", c_int),
        ("timeout_ms", c_uint32),
        ("max_datagram", c_uint32),
        ("outage_buffer", c_uint32),
    ]


class LevelColor(Structure):
    _fields_ = [("levelname", c_char_p), ("code", c_char_p)]


class ColorOptions(Structure):
    _fields_ = [("fd", c_int), ("mode", c_int), ("colors", POINTER(LevelColor)),
                ("colors_len", c_size_t)]


class JournalField(Structure):
    _fields_ = [("name", c_char_p), ("value", c_char_p)]


class JournalOptions(Structure):
    _fields_ = [("socket_path", c_char_p), ("syslog_identifier", c_char_p),
                ("fields", POINTER(JournalField)), ("fields_len", c_size_t),
                ("timeout_ms", c_uint32)]


VALUE_NULL, VALUE_STR, VALUE_INT, VALUE_FLOAT, VALUE_BOOL, VALUE_JSON = range(6)

FILTER_FN = CFUNCTYPE(c_int, c_void_p, c_void_p)
EMIT_FN = CFUNCTYPE(c_int, c_void_p, c_void_p, c_void_p, c_size_t)
FLUSH_FN = CFUNCTYPE(c_int, c_void_p)
FORMAT_FN = CFUNCTYPE(c_int, c_void_p, c_void_p, c_void_p)
DESTROY_FN = CFUNCTYPE(None, c_void_p)
FACTORY_FN = CFUNCTYPE(c_void_p, c_void_p, c_void_p)
VERIFY_FN = CFUNCTYPE(c_bool, c_void_p, c_void_p, c_size_t)
SHOULD_FLUSH_FN = CFUNCTYPE(c_bool, c_void_p, c_void_p, c_size_t, c_size_t)

S = c_char_p
I = c_int
H = handle

_PROTOTYPES = {
    "sawmill_last_error": (S, []),
    "sawmill_last_error_status": (I, []),
    "sawmill_version": (S, []),
    "sawmill_add_level_name": (I, [I, S]),
    "sawmill_level_name": (S, [I]),
    "sawmill_disable": (None, [I]),
    "sawmill_shutdown": (None, []),
    "sawmill_set_thread_name": (I, [S]),
    "sawmill_basic_config_apply": (I, [POINTER(BasicConfig)]),
    "sawmill_dict_config_json": (I, [S]),
    "sawmill_file_config": (I, [S, c_bool]),
    "sawmill_get_handler_by_name": (H, [S]),
    "sawmill_options_json": (S, [H]),
    "sawmill_register_handler_factory": (I, [S, FACTORY_FN, c_void_p, DESTROY_FN]),
    "sawmill_register_filter_factory": (I, [S, FACTORY_FN, c_void_p, DESTROY_FN]),
    "sawmill_register_formatter_factory": (I, [S, FACTORY_FN, c_void_p, DESTROY_FN]),
    "sawmill_config_listen": (I, [S, I, VERIFY_FN, c_void_p, POINTER(c_int)]),
    "sawmill_config_stop_listening": (I, []),
    # loggers
    "sawmill_get_logger": (H, [S]),
    "sawmill_logger_set_level": (I, [H, I]),
    "sawmill_logger_get_level": (I, [H]),
    "sawmill_logger_get_effective_level": (I, [H]),
    "sawmill_logger_is_enabled_for": (c_bool, [H, I]),
    "sawmill_logger_set_propagate": (I, [H, c_bool]),
    "sawmill_logger_get_propagate": (c_bool, [H]),
    "sawmill_logger_set_disabled": (I, [H, c_bool]),
    "sawmill_logger_has_handlers": (c_bool, [H]),
    "sawmill_logger_add_handler": (I, [H, H]),
    "sawmill_logger_remove_handler": (I, [H, H]),
    "sawmill_logger_add_filter": (I, [H, H]),
    "sawmill_logger_remove_filter": (I, [H, H]),
    "sawmill_log": (I, [H, I, S, I, S, S]),
    "sawmill_log_ex": (I, [H, I, S, I, S, S, S, S, POINTER(Extra), c_size_t]),
    # formatters
    "sawmill_formatter_new_with_defaults": (H, [S, S, c_char, S]),
    "sawmill_formatter_set_utc": (I, [H, c_bool]),
    "sawmill_json_formatter_new": (H, [S]),
    "sawmill_formatter_release": (None, [H]),
    "sawmill_formatter_retain": (H, [H]),
    "sawmill_callback_formatter_new": (H, [FORMAT_FN, c_void_p, DESTROY_FN]),
    "sawmill_text_append": (I, [c_void_p, c_void_p, c_size_t]),
    # filters
    "sawmill_name_filter_new": (H, [S]),
    "sawmill_callback_filter_new": (H, [FILTER_FN, c_void_p, DESTROY_FN]),
    "sawmill_filter_retain": (H, [H]),
    "sawmill_filter_release": (None, [H]),
    # handlers
    "sawmill_stream_handler_new": (H, [I]),
    "sawmill_stream_handler_set_terminator": (I, [H, S]),
    "sawmill_file_handler_new": (H, [S, S, c_bool]),
    "sawmill_null_handler_new": (H, []),
    "sawmill_color_stream_handler_new": (H, [POINTER(ColorOptions)]),
    "sawmill_journal_handler_new": (H, [POINTER(JournalOptions)]),
    "sawmill_command_handler_new": (
        H, [POINTER(c_char_p), c_size_t, S, c_bool, c_bool, c_uint32, c_size_t]),
    "sawmill_callback_handler_new": (H, [EMIT_FN, FLUSH_FN, c_void_p, DESTROY_FN]),
    "sawmill_handler_set_level": (I, [H, I]),
    "sawmill_handler_set_formatter": (I, [H, H]),
    "sawmill_handler_add_filter": (I, [H, H]),
    "sawmill_handler_remove_filter": (I, [H, H]),
    "sawmill_handler_set_name": (I, [H, S]),
    "sawmill_handler_flush": (I, [H]),
    "sawmill_handler_close": (I, [H]),
    "sawmill_handler_retain": (H, [H]),
    "sawmill_handler_release": (None, [H]),
    "sawmill_handler_error_count": (c_uint64, [H]),
    "sawmill_handler_handle": (I, [H, H, S]),
    "sawmill_handler_dropped_count": (c_uint64, [H]),
    "sawmill_handler_set_buffering": (I, [H, c_size_t, I, c_uint32]),
    "sawmill_rotating_file_handler_new": (H, [S, S, c_uint64, c_uint32, c_bool]),
    "sawmill_timed_rotating_file_handler_new": (H, [S, S, c_uint32, c_uint32, c_bool]),
    "sawmill_timed_rotating_file_handler_set_at_time": (I, [H, I, I, I]),
    "sawmill_watched_file_handler_new": (H, [S, S, c_bool]),
    "sawmill_syslog_handler_new": (H, [POINTER(SyslogOptions)]),
    "sawmill_socket_handler_new": (H, [S, I]),
    "sawmill_datagram_handler_new": (H, [S, I]),
    "sawmill_http_handler_new": (H, [S, S, S, c_bool, S, S, c_bool, c_uint32]),
    "sawmill_smtp_handler_new": (
        H,
        [S, I, S, POINTER(c_char_p), c_size_t, S, S, S, c_bool, c_bool, c_uint32],
    ),
    "sawmill_memory_handler_new": (H, [c_size_t, I, H, c_bool]),
    "sawmill_memory_handler_set_target": (I, [H, H]),
    "sawmill_memory_handler_set_should_flush": (I, [H, SHOULD_FLUSH_FN, c_void_p, DESTROY_FN]),
    "sawmill_memory_handler_discard": (I, [H]),
    "sawmill_queue_handler_new": (H, [POINTER(c_void_p), c_size_t, c_bool, c_size_t, I, c_uint32]),
    # records
    "sawmill_record_name": (S, [H]),
    "sawmill_record_message": (c_void_p, [H]),
    "sawmill_record_levelname": (S, [H]),
    "sawmill_record_pathname": (S, [H]),
    "sawmill_record_filename": (S, [H]),
    "sawmill_record_func_name": (S, [H]),
    "sawmill_record_thread_name": (S, [H]),
    "sawmill_record_process_name": (S, [H]),
    "sawmill_record_levelno": (I, [H]),
    "sawmill_record_lineno": (I, [H]),
    "sawmill_record_created": (c_double, [H]),
    "sawmill_record_msecs": (c_double, [H]),
    "sawmill_record_thread": (c_uint64, [H]),
    "sawmill_record_process": (c_uint32, [H]),
    "sawmill_record_get_str": (c_void_p, [H, S]),
    "sawmill_record_set_str": (I, [H, S, S]),
    "sawmill_record_set_int": (I, [H, S, c_int64]),
    "sawmill_record_set_float": (I, [H, S, c_double]),
    "sawmill_record_set_bool": (I, [H, S, c_bool]),
    "sawmill_record_set_null": (I, [H, S]),
}

for _name, (_res, _args) in _PROTOTYPES.items():
    _fn = getattr(lib, _name)
    _fn.restype = _res
    _fn.argtypes = _args

del _name, _res, _args, _fn


def last_error() -> str:
    raw = lib.sawmill_last_error()
    return raw.decode("utf-8", "replace") if raw else ""


def text(ptr: int | None) -> str | None:
    """A C string (a ``c_void_p`` result) as str, decoded leniently."""
    if not ptr:
        return None
    return ctypes.string_at(ptr).decode("utf-8", "surrogateescape")


def enc(s: str | None) -> bytes | None:
    if s is None:
        return None
    return s.encode("utf-8", "surrogatepass")


# The one call on the hot path (a logging call without keyword arguments)
# goes through cffi when it is installed: measured by bench/python_ffi_cost.py,
# a cffi ABI-mode call of sawmill_log costs about 400 ns less than ctypes'
# (730 against 1140 ns on the test machine); everything else stays ctypes.
# Both reach the same loaded library (dlopen of the same file).
def _hot_path() -> "tuple[Any, Any]":
    if os.environ.get("SAWMILL_NO_CFFI"):
        return lib.sawmill_log, int
    try:
        import cffi  # type: ignore[import-untyped]
    except ImportError:
        return lib.sawmill_log, int
    ffi = cffi.FFI()
    ffi.cdef("typedef struct sawmill_logger sawmill_logger;"
             "int sawmill_log(sawmill_logger *l, int level, const char *file, int line,"
             " const char *func, const char *msg);")
    clib = ffi.dlopen(path)

    def logger_arg(ptr: int) -> object:
        return ffi.cast("sawmill_logger *", ptr)

    return clib.sawmill_log, logger_arg


hot_log, hot_logger_arg = _hot_path()
