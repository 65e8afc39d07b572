"""sawmill: Python's ``logging`` API over libsawmill.

``import sawmill as logging`` runs code written for the standard library:
loggers, handlers, formatters and filters live in libsawmill (one logger
tree shared with any C code in the process); this module is a thin layer of
ctypes calls. Python subclasses of Handler (``emit``), Filter (``filter``,
or any callable) and Formatter (``format``, ``formatTime``,
``formatException``, ``converter``) are called back from sawmill's dispatch.
"""

from __future__ import annotations

import atexit
import ctypes
import io
import json
import os
import string
import sys
import threading
import time
import traceback
from collections.abc import Mapping
from typing import Any, Callable, Dict, List, Optional, Tuple, Union

from . import _lib
from ._lib import enc, last_error, lib, text

__all__ = [
    "BASIC_FORMAT", "CRITICAL", "DEBUG", "ERROR", "FATAL", "INFO", "NOTSET", "WARN", "WARNING",
    "ColorStreamHandler", "CommandHandler", "JournalHandler", "JSONFormatter",
    "FileHandler", "Filter", "Filterer", "Formatter", "Handler", "LogRecord", "Logger",
    "LoggerAdapter", "NullHandler", "StreamHandler", "addLevelName", "basicConfig", "critical",
    "debug", "disable", "error", "exception", "fatal", "getLevelName", "getLevelNamesMapping",
    "getHandlerByName", "getHandlerNames", "getLogger", "info", "lastResort", "log", "makeLogRecord", "raiseExceptions", "root",
    "shutdown", "warn", "warning", "captureWarnings", "getLoggerClass", "setLoggerClass",
]

CRITICAL = 50
FATAL = CRITICAL
ERROR = 40
WARNING = 30
WARN = WARNING
INFO = 20
DEBUG = 10
NOTSET = 0

BASIC_FORMAT = "%(levelname)s:%(name)s:%(message)s"

raiseExceptions = True
logThreads = True
logMultiprocessing = True
logProcesses = True
lastResort = None

_levelToName: Dict[int, str] = {
    CRITICAL: "CRITICAL", ERROR: "ERROR", WARNING: "WARNING", INFO: "INFO", DEBUG: "DEBUG",
    NOTSET: "NOTSET",
}
_nameToLevel: Dict[str, int] = {
    "CRITICAL": CRITICAL, "FATAL": FATAL, "ERROR": ERROR, "WARN": WARNING, "WARNING": WARNING,
    "INFO": INFO, "DEBUG": DEBUG, "NOTSET": NOTSET,
}

_lock = threading.RLock()
# Files of this package: frames in them are skipped when finding the caller.
_here = os.path.dirname(os.path.normcase(os.path.abspath(__file__)))


def getLevelNamesMapping() -> Dict[str, int]:
    return _nameToLevel.copy()


def getLevelName(level: Union[int, str]) -> Union[str, int]:
    """The name of a level, or the level of a name ("Level %s" otherwise)."""
    name = _levelToName.get(level)  # type: ignore[arg-type]
    if name is not None:
        return name
    number = _nameToLevel.get(level)  # type: ignore[arg-type]
    if number is not None:
        return number
    return "Level %s" % level


def addLevelName(level: int, levelName: str) -> None:
    with _lock:
        if lib.sawmill_add_level_name(level, enc(levelName)) != 0:
            raise ValueError(last_error())
        _levelToName[level] = levelName
        _nameToLevel[levelName] = level


def _checkLevel(level: Union[int, str]) -> int:
    if isinstance(level, int):
        return level
    if str(level) == level:
        if level not in _nameToLevel:
            raise ValueError("Unknown level: %r" % level)
        return _nameToLevel[level]
    raise TypeError("Level not an integer or a valid string: %r" % (level,))


# --- per-thread state of a logging call --------------------------------------
#
# sawmill merges a record's arguments at the call. While a Python call is in
# sawmill on this thread, callbacks (Python filters, handlers, formatters)
# that receive its record see the call's own msg, args and exc_info, as a
# stdlib LogRecord would hold them.

_tls = threading.local()
_callbacks_live = 0  # Python callbacks attached somewhere: calls keep their context


class _CallContext:
    __slots__ = ("name", "levelno", "msg", "args", "exc_info", "error", "exc_text", "extra")

    def __init__(self, name: str, levelno: int, msg: Any, args: Any, exc_info: Any,
                 extra: Any = None) -> None:
        self.name = name
        self.levelno = levelno
        self.msg = msg
        self.args = args
        self.exc_info = exc_info
        self.extra = extra  # typed values of extra= (sawmill's record holds them as text)
        self.error: Optional[BaseException] = None
        # The first Python formatter's exc_text, reused by the next ones (the
        # stdlib caches it on the record).
        self.exc_text: Optional[str] = None


# --- records -----------------------------------------------------------------

_start_time = time.time()


class LogRecord:
    """A record as the standard library's LogRecord (made in Python)."""

    message: str
    asctime: str

    def __init__(self, name: str, level: int, pathname: str, lineno: int, msg: Any, args: Any,
                 exc_info: Any, func: Optional[str] = None, sinfo: Optional[str] = None,
                 **kwargs: Any) -> None:
        ct = time.time()
        self.name = name
        self.msg = msg
        if (args and len(args) == 1 and isinstance(args[0], Mapping) and args[0]):
            args = args[0]
        self.args = args
        self.levelname = getLevelName(level)
        self.levelno = level
        self.pathname = pathname
        try:
            self.filename = os.path.basename(pathname)
            self.module = os.path.splitext(self.filename)[0]
        except (TypeError, ValueError, AttributeError):
            self.filename = pathname
            self.module = "Unknown module"
        self.exc_info = exc_info
        self.exc_text: Optional[str] = None
        self.stack_info = sinfo
        self.lineno = lineno
        self.funcName = func
        self.created = ct
        self.msecs = int((ct - int(ct)) * 1000) + 0.0
        self.relativeCreated = (ct - _start_time) * 1000
        self.thread: Optional[int] = threading.get_ident()
        self.threadName: Optional[str] = threading.current_thread().name
        self.processName: Optional[str] = "MainProcess"
        self.process: Optional[int] = os.getpid()

    def getMessage(self) -> str:
        msg = str(self.msg)
        if self.args:
            msg = msg % self.args
        return msg

    def __repr__(self) -> str:
        return '<LogRecord: %s, %s, %s, %s, "%s">' % (
            self.name, self.levelno, self.pathname, self.lineno, self.msg)


class _RecordDict(dict):  # type: ignore[type-arg]
    """A record's attributes for format strings: extras a C record holds
    are looked up on demand."""

    def __init__(self, record: Any, defaults: Optional[Mapping[str, Any]]) -> None:
        super().__init__()
        if defaults:
            self.update(defaults)
        self.update(record.__dict__)
        self._record = record

    def __missing__(self, key: str) -> Any:
        try:
            return getattr(self._record, key)
        except AttributeError:
            raise KeyError(key) from None


_NOT_PUSHED = frozenset({"message", "asctime", "_ptr", "_writable", "_text", "args", "exc_info"})


class _CRecord(LogRecord):
    """A record sawmill passes to a Python callback; valid attributes are read
    at once, extras on demand while the callback runs. In a filter, setting an
    attribute sets it on sawmill's record too (recipe 7.2)."""

    def __init__(self, ptr: int, writable: bool, text_value: Optional[str] = None) -> None:
        d = self.__dict__
        d["_ptr"] = ptr
        d["_writable"] = False
        d["_text"] = text_value
        d["name"] = lib.sawmill_record_name(ptr).decode("utf-8", "surrogateescape")
        levelno = lib.sawmill_record_levelno(ptr)
        d["levelno"] = levelno
        d["levelname"] = lib.sawmill_record_levelname(ptr).decode("utf-8", "surrogateescape")
        pathname = lib.sawmill_record_pathname(ptr).decode("utf-8", "surrogateescape")
        d["pathname"] = pathname
        d["filename"] = lib.sawmill_record_filename(ptr).decode("utf-8", "surrogateescape")
        d["module"] = text(lib.sawmill_record_get_str(ptr, b"module"))
        d["lineno"] = lib.sawmill_record_lineno(ptr)
        d["funcName"] = lib.sawmill_record_func_name(ptr).decode("utf-8", "surrogateescape")
        d["created"] = lib.sawmill_record_created(ptr)
        d["msecs"] = lib.sawmill_record_msecs(ptr)
        rel = text(lib.sawmill_record_get_str(ptr, b"relativeCreated"))
        d["relativeCreated"] = float(rel) if rel else 0.0
        d["thread"] = lib.sawmill_record_thread(ptr)
        d["threadName"] = lib.sawmill_record_thread_name(ptr).decode("utf-8", "surrogateescape")
        d["process"] = lib.sawmill_record_process(ptr)
        d["processName"] = lib.sawmill_record_process_name(ptr).decode("utf-8", "surrogateescape")
        message = text(lib.sawmill_record_message(ptr)) or ""
        exc_text = text(lib.sawmill_record_get_str(ptr, b"exc_text"))
        stack = text(lib.sawmill_record_get_str(ptr, b"stack_info"))
        d["stack_info"] = None if stack in (None, "None") else stack
        ctx = getattr(_tls, "ctx", None)
        if ctx is not None and ctx.name == d["name"] and ctx.levelno == levelno:
            d["msg"] = ctx.msg
            d["args"] = ctx.args
            d["exc_info"] = ctx.exc_info
            # As in the stdlib, the first (Python) formatter that needs it makes exc_text.
            if ctx.exc_info:
                d["exc_text"] = ctx.exc_text
            else:
                d["exc_text"] = None if exc_text in (None, "None") else exc_text
            d["_ctx"] = ctx
        else:
            d["msg"] = message
            d["args"] = ()
            d["exc_info"] = None
            d["exc_text"] = None if exc_text in (None, "None") else exc_text
            d["_ctx"] = None
        d["_writable"] = writable

    def __getattr__(self, key: str) -> Any:
        ctx = self.__dict__.get("_ctx")
        if ctx is not None and ctx.extra is not None and not key.startswith("_"):
            try:
                if key in ctx.extra:
                    return ctx.extra[key]
            except Exception:
                pass
        ptr = self.__dict__.get("_ptr")
        if ptr and not key.startswith("__"):
            value = lib.sawmill_record_get_str(ptr, enc(key))
            if value:
                return text(value)
        raise AttributeError(key)

    def __setattr__(self, key: str, value: Any) -> None:
        d = self.__dict__
        d[key] = value
        if not d.get("_writable") or key in _NOT_PUSHED or key.startswith("_"):
            return
        ptr = d["_ptr"]
        k = enc(key)
        if key == "msg":
            value = str(value) % d["args"] if d["args"] else str(value)
            lib.sawmill_record_set_str(ptr, k, enc(value))
            ctx = d.get("_ctx")
            if ctx is not None:
                ctx.msg = d["msg"]
            return
        if value is None:
            rc = lib.sawmill_record_set_null(ptr, k)
        elif isinstance(value, bool):
            rc = lib.sawmill_record_set_bool(ptr, k, value)
        elif isinstance(value, int) and -(2**63) <= value < 2**63:
            rc = lib.sawmill_record_set_int(ptr, k, value)
        elif isinstance(value, float):
            rc = lib.sawmill_record_set_float(ptr, k, value)
        else:
            rc = lib.sawmill_record_set_str(ptr, k, enc(str(value)))
        if rc != 0:
            raise ValueError(last_error())

    def _detach(self) -> None:
        self.__dict__["_ptr"] = None
        self.__dict__["_writable"] = False


def makeLogRecord(dict: Mapping[str, Any]) -> LogRecord:
    rv = LogRecord(None, None, "", 0, "", (), None, None)  # type: ignore[arg-type]
    rv.__dict__.update(dict)
    return rv


# --- reporting errors from callbacks -------------------------------------------


def _report(record: Any, what: str = "handler") -> None:
    """Python's Handler.handleError text for the exception being handled."""
    if not (raiseExceptions and sys.stderr):
        return
    t, v, tb = sys.exc_info()
    try:
        sys.stderr.write("--- Logging error ---\n")
        traceback.print_exception(t, v, tb, None, sys.stderr)
        sys.stderr.write("Call stack:\n")
        frame = sys._getframe(1)
        while frame and os.path.dirname(os.path.normcase(frame.f_code.co_filename)) == _here:
            frame = frame.f_back  # type: ignore[assignment]
        if frame:
            traceback.print_stack(frame, file=sys.stderr)
        try:
            sys.stderr.write("Message: %r\nArguments: %s\n" % (record.msg, record.args))
        except RecursionError:
            raise
        except Exception:
            sys.stderr.write("Unable to print the message and arguments"
                             " - possible formatting error.\nUse the traceback"
                             " above to help find the error.\n")
    except OSError:
        pass
    finally:
        del t, v, tb


# --- callbacks: one C function per kind, the Python object found by token --------

_objects: Dict[int, Any] = {}
_next_token = 1


_uncounted: set = set()


def _register(obj: Any, counted: bool = True) -> int:
    """A token for ``obj`` as a callback's user data. Counted callbacks make
    logging calls keep their context (msg, args, exc_info) for callbacks."""
    global _next_token, _callbacks_live
    with _lock:
        token = _next_token
        _next_token += 1
        _objects[token] = obj
        if counted:
            _callbacks_live += 1
        else:
            _uncounted.add(token)
    return token


@_lib.DESTROY_FN
def _destroy(token: int) -> None:
    global _callbacks_live
    with _lock:
        if _objects.pop(token or 0, None) is not None:
            if token in _uncounted:
                _uncounted.discard(token)
            else:
                _callbacks_live -= 1


def _call_filter(f: Any, record: LogRecord) -> bool:
    fn = getattr(f, "filter", None)
    if fn is not None:
        return bool(fn(record))
    return bool(f(record))


@_lib.FILTER_FN
def _filter_cb(token: int, ptr: int) -> int:
    f = _objects.get(token)
    if f is None:
        return 1
    record = _CRecord(ptr, True)
    try:
        return 1 if _call_filter(f, record) else 0
    except BaseException as e:  # raised in the stdlib: re-raised after the call
        ctx = getattr(_tls, "ctx", None)
        if ctx is not None and ctx.error is None:
            ctx.error = e
        else:
            _report(record, "filter")
        return 0
    finally:
        record._detach()


@_lib.EMIT_FN
def _emit_cb(token: int, ptr: int, text_ptr: int, length: int) -> int:
    h = _objects.get(token)
    if h is None:
        return 0
    record = _CRecord(ptr, False, ctypes.string_at(text_ptr, length).decode("utf-8", "replace"))
    try:
        h.emit(record)
    except BaseException as e:  # raised in the stdlib: re-raised after the call
        ctx = getattr(_tls, "ctx", None)
        if ctx is not None and ctx.error is None:
            ctx.error = e
        else:
            h.handleError(record)
    finally:
        record._detach()
    return 0


@_lib.FLUSH_FN
def _flush_cb(token: int) -> int:
    h = _objects.get(token)
    if h is None:
        return 0
    try:
        h.flush()
    except Exception:
        return 1
    return 0


@_lib.FORMAT_FN
def _format_cb(token: int, ptr: int, out: int) -> int:
    fmt = _objects.get(token)
    if fmt is None:
        return 1
    record = _CRecord(ptr, False)
    try:
        s = fmt.format(record)
        ctx = record.__dict__.get("_ctx")
        if ctx is not None and ctx.exc_text is None and record.exc_text:
            ctx.exc_text = record.exc_text
    except Exception:
        _report(record, "formatter")
        return 1
    finally:
        record._detach()
    data = s.encode("utf-8", "surrogatepass")
    lib.sawmill_text_append(out, data, len(data))
    return 0


@_lib.SHOULD_FLUSH_FN
def _should_flush_cb(token: int, ptr: int, buffered: int, capacity: int) -> bool:
    h = _objects.get(token)
    if h is None:
        return False
    record = _CRecord(ptr, False)
    try:
        h._sawmill_buffered = buffered
        return bool(h.shouldFlush(record))
    except Exception:
        _report(record)
        return False
    finally:
        record._detach()


def _overrides(obj: Any, base: type, *names: str) -> bool:
    cls = type(obj)
    return any(getattr(cls, n, None) is not getattr(base, n, None) for n in names)


# --- filters -------------------------------------------------------------------

_filter_handles: Dict[int, Tuple[Any, int]] = {}


def _filter_handle(f: Any) -> int:
    """sawmill's filter for a Python filter object or callable (kept for the
    object's lifetime)."""
    entry = _filter_handles.get(id(f))
    if entry is not None and entry[0] is f:
        return entry[1]
    if isinstance(f, Filter) and not _overrides(f, Filter, "filter"):
        ptr = lib.sawmill_name_filter_new(enc(getattr(f, "name", "")))
    else:
        ptr = lib.sawmill_callback_filter_new(_filter_cb, _register(f), _destroy)
    if not ptr:
        raise ValueError(last_error())
    _filter_handles[id(f)] = (f, ptr)
    return ptr


class Filter:
    """Passes records of the logger ``name`` and its descendants."""

    def __init__(self, name: str = "") -> None:
        self.name = name
        self.nlen = len(name)

    def filter(self, record: LogRecord) -> bool:
        name = getattr(self, "name", "")
        nlen = len(name)
        if nlen == 0:
            return True
        if name == record.name:
            return True
        if record.name.find(name, 0, nlen) != 0:
            return False
        return record.name[nlen] == "."


class Filterer:
    def __init__(self) -> None:
        self.filters: List[Any] = []

    def _add_c_filter(self, ptr: int) -> int:
        raise NotImplementedError

    def _remove_c_filter(self, ptr: int) -> int:
        raise NotImplementedError

    def addFilter(self, filter: Any) -> None:
        if not hasattr(self, "filters"):
            self.filters = []
        if filter not in self.filters:
            if self._add_c_filter(_filter_handle(filter)) != 0:
                raise ValueError(last_error())
            self.filters.append(filter)

    def removeFilter(self, filter: Any) -> None:
        if filter in getattr(self, "filters", []):
            self.filters.remove(filter)
            self._remove_c_filter(_filter_handle(filter))

    def filter(self, record: LogRecord) -> bool:
        for f in getattr(self, "filters", []):
            if not _call_filter(f, record):
                return False
        return True


# --- formatters ------------------------------------------------------------------

_STYLES = {"%": b"%", "{": b"{", "$": b"$"}


class Formatter:
    """Python's Formatter. A plain one formats inside sawmill; a subclass that
    overrides ``format``, ``formatTime``, ``formatException``,
    ``formatMessage``, ``formatStack`` or ``converter`` (other than
    ``time.gmtime``, which sawmill does itself) is called back."""

    converter: Callable[..., time.struct_time] = time.localtime
    default_time_format = "%Y-%m-%d %H:%M:%S"
    default_msec_format: Optional[str] = "%s,%03d"

    def __init__(self, fmt: Optional[str] = None, datefmt: Optional[str] = None,
                 style: str = "%", validate: bool = True, *,
                 defaults: Optional[Mapping[str, Any]] = None) -> None:
        if style not in _STYLES:
            raise ValueError("Style must be one of: %s" % ",".join(_STYLES.keys()))
        self._fmt = fmt or {"%": "%(message)s", "{": "{message}", "$": "${message}"}[style]
        self._style_char = style
        self.datefmt = datefmt
        self._defaults = dict(defaults) if defaults else None
        defaults_json = json.dumps(self._defaults, default=str) if self._defaults else None
        ptr = lib.sawmill_formatter_new_with_defaults(
            enc(fmt), enc(datefmt), _STYLES[style], enc(defaults_json))
        if not ptr:
            raise ValueError(last_error())
        self._ptr = ptr
        self._cb_ptr: Optional[int] = None

    def __del__(self) -> None:
        ptr = self.__dict__.get("_ptr")
        if ptr and lib is not None:
            lib.sawmill_formatter_release(ptr)

    def _handle(self) -> int:
        """The sawmill formatter handlers use for this object."""
        if _overrides(self, Formatter, "format", "formatTime", "formatException",
                      "formatMessage", "formatStack", "usesTime") or (
                self.converter not in (time.localtime, time.gmtime)):
            if getattr(self, "_cb_ptr", None) is None:
                ptr = lib.sawmill_callback_formatter_new(_format_cb, _register(self), _destroy)
                if not ptr:
                    raise ValueError(last_error())
                self._cb_ptr = ptr
            return self._cb_ptr  # type: ignore[return-value]
        if "_ptr" not in self.__dict__:  # a subclass that skipped __init__
            Formatter.__init__(self)
        lib.sawmill_formatter_set_utc(self._ptr, self.converter is time.gmtime)
        return self._ptr

    # The stdlib's algorithm, for records formatted in Python.
    def usesTime(self) -> bool:
        f = self._fmt
        if self._style_char == "%":
            return "%(asctime)" in f
        if self._style_char == "{":
            return "{asctime" in f
        return "$asctime" in f or "${asctime}" in f

    def formatTime(self, record: LogRecord, datefmt: Optional[str] = None) -> str:
        ct = self.converter(record.created)
        if datefmt:
            return time.strftime(datefmt, ct)
        s = time.strftime(self.default_time_format, ct)
        if self.default_msec_format:
            s = self.default_msec_format % (s, record.msecs)
        return s

    def formatException(self, ei: Any) -> str:
        sio = io.StringIO()
        traceback.print_exception(ei[0], ei[1], ei[2], None, sio)
        s = sio.getvalue()
        sio.close()
        if s[-1:] == "\n":
            s = s[:-1]
        return s

    def formatStack(self, stack_info: str) -> str:
        return stack_info

    def formatMessage(self, record: LogRecord) -> str:
        values = _RecordDict(record, getattr(self, "_defaults", None))
        if self._style_char == "%":
            return self._fmt % values
        if self._style_char == "{":
            return self._fmt.format_map(values)
        return string.Template(self._fmt).substitute(values)

    def format(self, record: LogRecord) -> str:
        if not isinstance(self, Formatter) or "_fmt" not in self.__dict__:
            Formatter.__init__(self)
        record.message = record.getMessage()
        if self.usesTime():
            record.asctime = self.formatTime(record, self.datefmt)
        s = self.formatMessage(record)
        if record.exc_info:
            if not record.exc_text:
                record.exc_text = self.formatException(record.exc_info)
        if record.exc_text:
            if s[-1:] != "\n":
                s = s + "\n"
            s = s + record.exc_text
        if record.stack_info:
            if s[-1:] != "\n":
                s = s + "\n"
            s = s + self.formatStack(record.stack_info)
        return s


_defaultFormatter = Formatter()


class JSONFormatter(Formatter):
    """``sawmill.JSONFormatter``: one JSON object per record, built by
    sawmill. The keyword arguments are the keys of its dictConfig entry
    (``fields``, ``extras``, ``ensure_ascii``, ``nan``, ``format``,
    ``datefmt``, ``utc``, ``defaults``: docs/configuration.md)."""

    def __init__(self, **options: Any) -> None:
        self._fmt = options.get("format") or "%(message)s"
        self._style_char = "%"
        self.datefmt = options.get("datefmt")
        self._defaults = options.get("defaults")
        ptr = lib.sawmill_json_formatter_new(enc(json.dumps(options)))
        if not ptr:
            raise ValueError(last_error())
        self._ptr = ptr
        self._cb_ptr = None

    def _handle(self) -> int:
        return self._ptr

    def format(self, record: LogRecord) -> str:
        raise NotImplementedError("sawmill.JSONFormatter formats inside sawmill's handlers")


class BufferingFormatter:
    def __init__(self, linefmt: Optional[Formatter] = None) -> None:
        self.linefmt = linefmt or _defaultFormatter

    def formatHeader(self, records: List[LogRecord]) -> str:
        return ""

    def formatFooter(self, records: List[LogRecord]) -> str:
        return ""

    def format(self, records: List[LogRecord]) -> str:
        rv = ""
        if records:
            rv = rv + self.formatHeader(records)
            for record in records:
                rv = rv + self.linefmt.format(record)
            rv = rv + self.formatFooter(records)
        return rv


# --- handlers ------------------------------------------------------------------------

_handlers: Dict[str, "Handler"] = {}


class Handler(Filterer):
    """A handler. The base class is a sawmill callback handler calling
    ``emit``; the stdlib's concrete handlers are sawmill's own sinks."""

    def __init__(self, level: Union[int, str] = NOTSET) -> None:
        Filterer.__init__(self)
        self._name: Optional[str] = None
        self.level = _checkLevel(level)
        self.formatter: Optional[Formatter] = None
        self._closed = False
        self.lock: Optional[threading.RLock] = threading.RLock()
        # A Python subclass that overrides emit of one of sawmill's sinks is
        # called back; its super().emit() goes to a private sink of the class.
        self._callback = _sink_class(self) is None or _emit_overridden(self)
        self._sink_ptr: Optional[int] = None
        if self._callback:
            self._ptr = Handler._make(self)
        else:
            self._ptr = self._make()
        if not self._ptr:
            raise ValueError(last_error())
        if self.level:
            lib.sawmill_handler_set_level(self._ptr, self.level)

    def _make(self) -> int:
        """The sawmill handler (a new reference); subclasses name their sink."""
        return lib.sawmill_callback_handler_new(_emit_cb, _flush_cb, _register(self), _destroy)

    def _handle(self) -> int:
        if "_ptr" not in self.__dict__:  # a subclass that skipped __init__
            Handler.__init__(self)
        return self._ptr

    def __del__(self) -> None:
        for key in ("_ptr", "_sink_ptr"):
            ptr = self.__dict__.get(key)
            if ptr and lib is not None:
                lib.sawmill_handler_release(ptr)

    def _add_c_filter(self, ptr: int) -> int:
        return lib.sawmill_handler_add_filter(self._handle(), ptr)  # type: ignore[no-any-return]

    def _remove_c_filter(self, ptr: int) -> int:
        return lib.sawmill_handler_remove_filter(self._handle(), ptr)  # type: ignore[no-any-return]

    def get_name(self) -> Optional[str]:
        return self._name

    def set_name(self, name: Optional[str]) -> None:
        with _lock:
            if self._name in _handlers:
                del _handlers[self._name]  # type: ignore[arg-type]
            self._name = name
            if name:
                _handlers[name] = self
                lib.sawmill_handler_set_name(self._handle(), enc(name))

    name = property(get_name, set_name)

    def createLock(self) -> None:
        self.lock = threading.RLock()

    def acquire(self) -> None:
        if self.lock:
            self.lock.acquire()

    def release(self) -> None:
        if self.lock:
            self.lock.release()

    def setLevel(self, level: Union[int, str]) -> None:
        self.level = _checkLevel(level)
        lib.sawmill_handler_set_level(self._handle(), self.level)

    def setFormatter(self, fmt: Optional[Formatter]) -> None:
        self.formatter = fmt
        handle = fmt._handle() if fmt is not None else None
        lib.sawmill_handler_set_formatter(self._handle(), handle)
        if self._sink_ptr is not None:
            lib.sawmill_handler_set_formatter(self._sink_ptr, handle)

    def format(self, record: LogRecord) -> str:
        fmt = self.formatter
        pre = record.__dict__.get("_text")
        if pre is not None:  # sawmill already formatted it with this handler's formatter
            return pre  # type: ignore[no-any-return]
        return (fmt or _defaultFormatter).format(record)

    def emit(self, record: LogRecord) -> None:
        """A sawmill sink's emit, as a subclass's super().emit() reaches it."""
        if _sink_class(self) is None:
            raise NotImplementedError("emit must be implemented by Handler subclasses")
        live = record.__dict__.get("_ptr")
        if live:  # a record sawmill passed to this callback: handed over as it is
            if lib.sawmill_handler_handle(self._sink(), live, enc(record.getMessage())) != 0:
                raise RuntimeError(last_error())
        else:
            _emit_through(self, self._sink(), record)

    def _sink(self) -> int:
        """The sawmill sink records reach: the handler itself, or for a
        subclass overriding emit, a private one made on first use."""
        if not self._callback:
            return self._handle()
        if self._sink_ptr is None:
            ptr = self._make()
            if not ptr:
                raise ValueError(last_error())
            if self.formatter is not None:
                lib.sawmill_handler_set_formatter(ptr, self.formatter._handle())
            self._sink_ptr = ptr
        return self._sink_ptr

    def handle(self, record: LogRecord) -> bool:
        """Filters and emits a record made in Python (sawmill's own records
        reach ``emit`` through the callback)."""
        rv = self.filter(record)
        if rv:
            self._handle()
            if not self._callback:
                _emit_through(self, self._handle(), record)
            else:
                with _lock:
                    self.emit(record)
        return rv

    def flush(self) -> None:
        self._handle()
        ptr = self._sink_ptr if self._callback else self._ptr
        if ptr:
            lib.sawmill_handler_flush(ptr)

    def close(self) -> None:
        with _lock:
            self._closed = True
            if self._name and self._name in _handlers:
                del _handlers[self._name]
        ptr = self._sink_ptr if self._callback else self._handle()
        if ptr:
            lib.sawmill_handler_close(ptr)

    def handleError(self, record: LogRecord) -> None:
        _report(record)

    # sawmill's additions (not in the stdlib)
    def setBuffering(self, capacity_bytes: int, flush_level: int = ERROR,
                     flush_interval_ms: int = 0) -> None:
        """sawmill's durability policy for a stream or file handler: 0 is
        write-through (the default, as the stdlib); otherwise records collect
        in a buffer handed to the kernel when full, at ``flush_level``, every
        ``flush_interval_ms``, on flush() and at exit."""
        if lib.sawmill_handler_set_buffering(self._handle(), capacity_bytes, flush_level,
                                             flush_interval_ms) != 0:
            raise ValueError(last_error())

    @property
    def errorCount(self) -> int:
        """Failures this handler absorbed (sawmill's count)."""
        return lib.sawmill_handler_error_count(self._handle())  # type: ignore[no-any-return]

    def __repr__(self) -> str:
        level = getLevelName(self.level)
        return "<%s (%s)>" % (self.__class__.__name__, level)


def _direct_fd(stream: Any) -> int:
    """The descriptor sawmill may write to for ``stream`` without reordering
    it against Python's own writes: sys.stdout/sys.stderr when Python does
    not hold back what is printed to them (stderr, a terminal, -u), else -1."""
    if stream is None or (stream is not sys.__stdout__ and stream is not sys.__stderr__):
        return -1
    std: Any = stream
    try:
        if std is sys.__stdout__ and not (getattr(std, "write_through", False)
                                          or getattr(std, "line_buffering", False)):
            return -1
        std.flush()
        return int(std.fileno())
    except (AttributeError, OSError, ValueError):
        return -1


def _sink_class(obj: Any) -> Optional[type]:
    """The class whose _make builds ``obj``'s sawmill sink (None: the base
    Handler, a callback)."""
    for klass in type(obj).__mro__:
        if "_make" in klass.__dict__:
            return None if klass is Handler else klass
    return None


def _emit_overridden(obj: Any) -> bool:
    """Whether a Python subclass overrides the emit of its sawmill sink class."""
    klass = _sink_class(obj)
    return klass is not None and getattr(type(obj), "emit") is not getattr(klass, "emit")


class StreamHandler(Handler):
    """Writes to a stream: sawmill's fd sink for sys.stdout/sys.stderr (and any
    stream with a real file descriptor), Python's write() otherwise."""

    terminator = "\n"

    def __init__(self, stream: Any = None) -> None:
        if stream is None:
            stream = sys.stderr
        self.stream = stream
        Handler.__init__(self)

    def _fd(self) -> int:
        return _direct_fd(self.stream)

    def _make(self) -> int:
        fd = self._fd()
        if fd >= 0 and not _overrides(self, StreamHandler, "format"):
            self._python_stream = False
            return lib.sawmill_stream_handler_new(fd)  # type: ignore[no-any-return]
        self._python_stream = True
        return Handler._make(self)

    def __setattr__(self, key: str, value: Any) -> None:
        object.__setattr__(self, key, value)
        if key == "terminator" and not self.__dict__.get("_python_stream", True):
            lib.sawmill_stream_handler_set_terminator(self._ptr, enc(value))

    def emit(self, record: LogRecord) -> None:
        msg = self.format(record)
        self.stream.write(msg + self.terminator)
        self.flush()

    def flush(self) -> None:
        if self._callback or self.__dict__.get("_python_stream", True):
            if self.stream and hasattr(self.stream, "flush"):
                self.stream.flush()
            if self._callback and self._sink_ptr is not None:
                lib.sawmill_handler_flush(self._sink_ptr)
        else:
            lib.sawmill_handler_flush(self._ptr)

    def close(self) -> None:
        with _lock:
            self._closed = True
            if self._name and self._name in _handlers:
                del _handlers[self._name]

    def setStream(self, stream: Any) -> Any:
        if stream is self.stream:
            return None
        raise NotImplementedError("sawmill: a StreamHandler's stream is fixed")

    def __repr__(self) -> str:
        name = getattr(self.stream, "name", "")
        name = str(name)
        if name:
            name += " "
        return "<%s %s(%s)>" % (self.__class__.__name__, name, getLevelName(self.level))


class FileHandler(StreamHandler):
    def __init__(self, filename: Union[str, "os.PathLike[str]"], mode: str = "a",
                 encoding: Optional[str] = None, delay: bool = False,
                 errors: Optional[str] = None) -> None:
        self._file_init(filename, mode, encoding, delay, errors)

    def _file_init(self, filename: Union[str, "os.PathLike[str]"], mode: str,
                   encoding: Optional[str], delay: bool, errors: Optional[str]) -> None:
        """The stdlib's file attributes, then the sawmill handler (`_make`);
        shared by the rotating and watched handlers."""
        self.baseFilename = os.path.abspath(os.fspath(filename))
        self.mode = mode
        self.encoding = encoding
        self.errors = errors
        self.delay = delay
        self.stream = None
        Handler.__init__(self)

    def _make(self) -> int:
        self._python_stream = False
        return lib.sawmill_file_handler_new(  # type: ignore[no-any-return]
            enc(self.baseFilename), enc(self.mode), self.delay)

    emit = Handler.emit

    def close(self) -> None:
        Handler.close(self)

    def __repr__(self) -> str:
        return "<%s %s (%s)>" % (self.__class__.__name__, self.baseFilename,
                                 getLevelName(self.level))


class ColorStreamHandler(StreamHandler):
    """``sawmill.ColorStreamHandler``: level names coloured on a stream with a
    descriptor (stderr by default); ``mode`` "auto" (a terminal; NO_COLOR and
    FORCE_COLOR honoured), "always" or "never"; ``colors`` maps level names to
    SGR parameters ("31;1")."""

    def __init__(self, stream: Any = None, mode: str = "auto",
                 colors: Optional[Mapping[str, str]] = None) -> None:
        self.mode = mode
        self.colors = dict(colors or {})
        StreamHandler.__init__(self, stream)

    def _make(self) -> int:
        self._python_stream = False
        fd = self.stream.fileno() if hasattr(self.stream, "fileno") else -1
        opts = _lib.ColorOptions()
        opts.fd = fd
        opts.mode = {"auto": 0, "always": 1, "never": 2}[self.mode]
        items = list(self.colors.items())
        arr = (_lib.LevelColor * len(items))(*[_lib.LevelColor(enc(k), enc(v))
                                                 for k, v in items])
        opts.colors = arr
        opts.colors_len = len(items)
        return lib.sawmill_color_stream_handler_new(ctypes.byref(opts))  # type: ignore[no-any-return]


class JournalHandler(Handler):
    """``sawmill.JournalHandler``: systemd-journald's native protocol."""

    def __init__(self, socket_path: Optional[str] = None,
                 syslog_identifier: Optional[str] = None,
                 fields: Optional[Mapping[str, str]] = None, timeout_ms: int = 0) -> None:
        self.socket_path = socket_path
        self.syslog_identifier = syslog_identifier
        self.fields = dict(fields or {})
        self.timeout_ms = timeout_ms
        Handler.__init__(self)

    def _make(self) -> int:
        opts = _lib.JournalOptions()
        opts.socket_path = enc(self.socket_path)
        opts.syslog_identifier = enc(self.syslog_identifier)
        items = list(self.fields.items())
        arr = (_lib.JournalField * len(items))(*[_lib.JournalField(enc(k), enc(v))
                                                   for k, v in items])
        opts.fields = arr
        opts.fields_len = len(items)
        opts.timeout_ms = self.timeout_ms
        return lib.sawmill_journal_handler_new(ctypes.byref(opts))  # type: ignore[no-any-return]


class CommandHandler(Handler):
    """``sawmill.CommandHandler`` (cookbook recipe 16): a program per record
    from an argv template (``{message}``, ``{levelname}``…), never a shell."""

    def __init__(self, argv: List[str], path: Optional[str] = None,
                 message_on_stdin: bool = False, wait: bool = True, timeout_ms: int = 0,
                 max_concurrent: int = 1) -> None:
        self.argv = list(argv)
        self.path = path
        self.message_on_stdin = message_on_stdin
        self.wait = wait
        self.timeout_ms = timeout_ms
        self.max_concurrent = max_concurrent
        Handler.__init__(self)

    def _make(self) -> int:
        arr = (ctypes.c_char_p * len(self.argv))(*[enc(a) for a in self.argv])
        return lib.sawmill_command_handler_new(  # type: ignore[no-any-return]
            arr, len(self.argv), enc(self.path), self.message_on_stdin, self.wait,
            self.timeout_ms, self.max_concurrent)


class NullHandler(Handler):
    def _make(self) -> int:
        return lib.sawmill_null_handler_new()  # type: ignore[no-any-return]

    def emit(self, record: LogRecord) -> None:
        pass


class _ConfiguredHandler(Handler):
    """A handler a configuration made inside sawmill, seen from Python."""

    def __init__(self, ptr: int, name: str) -> None:
        Filterer.__init__(self)
        self._name = name
        self.level = NOTSET
        self.formatter = None
        self._closed = False
        self.lock = threading.RLock()
        self._callback = False
        self._sink_ptr = None
        self._ptr = ptr

    def _make(self) -> int:
        raise RuntimeError("made by a configuration")


def getHandlerByName(name: str) -> Optional[Handler]:
    """The handler named ``name`` (Python 3.12): one made in Python, or one a
    configuration made inside sawmill (wrapped)."""
    h = _handlers.get(name)
    if h is not None:
        return h
    ptr = lib.sawmill_get_handler_by_name(enc(name))
    if not ptr:
        return None
    return _ConfiguredHandler(ptr, name)


def getHandlerNames() -> frozenset:  # type: ignore[type-arg]
    """Names of the handlers made in Python (Python 3.12)."""
    return frozenset(_handlers)


# --- records made in Python reach sawmill's sinks through a private logger ---------

_direct: Dict[int, Any] = {}


def _log_record(ptr: int, record: LogRecord) -> None:
    """Logs a record made in Python on sawmill logger ``ptr`` with its message,
    place, exception, stack and extras (the time is the time of this call)."""
    std = _STANDARD_ATTRS
    extras = [(k, v) for k, v in record.__dict__.items() if k not in std and not k.startswith("_")]
    exc_text = record.exc_text
    if record.exc_info and not exc_text:
        exc_text = _defaultFormatter.formatException(record.exc_info)
    if get_ident() not in _named_threads:
        _name_thread()
    _call(ptr, record.levelno, record.pathname, record.lineno, record.funcName,
          record.getMessage(), exc_text, record.stack_info, extras)


def _emit_through(handler: Handler, sink: int, record: LogRecord) -> None:
    """A record made in Python into sawmill sink ``sink`` (``handler``'s): the
    record is logged on a private logger that holds only that sink."""
    entry = _direct.get(sink)
    if entry is None or entry[0] is not handler:
        ptr = lib.sawmill_get_logger(enc("sawmill.__direct__.%d" % sink))
        lib.sawmill_logger_set_propagate(ptr, False)
        lib.sawmill_logger_set_level(ptr, 1)
        lib.sawmill_logger_add_filter(ptr, _direct_filter_ptr())
        lib.sawmill_logger_add_handler(ptr, sink)
        entry = (handler, ptr)
        _direct[sink] = entry
    _tls.direct = record
    try:
        _log_record(entry[1], record)
    finally:
        _tls.direct = None


def _restore_record(record: Any) -> bool:
    """The private logger's filter: the record keeps the name, time and
    thread/process of the Python record it stands for."""
    source = getattr(_tls, "direct", None)
    if source is None:
        return True
    for key in ("name", "created", "msecs", "relativeCreated", "thread", "threadName",
                "process", "processName"):
        value = getattr(source, key, None)
        if value is not None:
            record.__setattr__(key, value)
    return True


_direct_filter: List[int] = []


def _direct_filter_ptr() -> int:
    if not _direct_filter:
        ptr = lib.sawmill_callback_filter_new(_filter_cb, _register(_restore_record, False),
                                              _destroy)
        _direct_filter.append(ptr)
    return _direct_filter[0]


_STANDARD_ATTRS = frozenset(LogRecord("", 0, "", 0, "", (), None).__dict__) | {
    "message", "asctime", "taskName"}


# --- the logging call ---------------------------------------------------------------------


def _extras(extra: Any) -> Tuple[Any, int]:
    items = [(k, extra[k]) for k in extra]
    return _extra_array(items)


def _extra_array(items: List[Tuple[str, Any]]) -> Tuple[Any, int]:
    n = len(items)
    arr = (_lib.Extra * n)()
    for i, (key, value) in enumerate(items):
        e = arr[i]
        e.key = enc(key)
        if value is None:
            e.kind = _lib.VALUE_NULL
        elif isinstance(value, bool):
            e.kind = _lib.VALUE_BOOL
            e.bool_value = value
        elif isinstance(value, int) and -(2**63) <= value < 2**63:
            e.kind = _lib.VALUE_INT
            e.int_value = value
        elif isinstance(value, float):
            e.kind = _lib.VALUE_FLOAT
            e.float_value = value
        else:
            e.kind = _lib.VALUE_STR
            e.str_value = enc(str(value))
    return arr, n


def _call(ptr: int, level: int, pathname: str, lineno: int, func: Optional[str], msg: str,
          exc_text: Optional[str], stack_info: Optional[str], extras: Any) -> None:
    if extras:
        arr, n = _extra_array(list(extras))
    else:
        arr, n = None, 0
    rc = lib.sawmill_log_ex(ptr, level, enc(pathname), lineno, enc(func), enc(msg),
                            enc(exc_text), enc(stack_info), arr, n)
    if rc != 0:
        err = last_error()
        if err.startswith("Attempt to overwrite"):
            raise KeyError(err)


_named_threads: Dict[int, str] = {}
get_ident = threading.get_ident
_get_ident = threading.get_ident
_getframe = sys._getframe
_sawmill_log: Any = _lib.hot_log
_PLAIN = frozenset({str, int, float, bytes, tuple, list, bool, type(None)})


def _name_thread() -> None:
    """Gives sawmill the Python name of the calling thread (threadName)."""
    name = threading.current_thread().name
    lib.sawmill_set_thread_name(enc(name))
    _named_threads[get_ident()] = name


# id(code object) → (in this package?, file name and function name as bytes
# and str, the code object). Keyed by id: hashing a code object hashes its
# constants (about 1,300 instructions a call by callgrind); the entry holds
# the code, so its id is not reused while the entry exists.
_codes: Dict[int, Tuple[bool, bytes, bytes, str, str, Any]] = {}


def _code_entry(code: Any) -> Tuple[bool, bytes, bytes, str, str, Any]:
    fn = code.co_filename
    internal = os.path.dirname(os.path.normcase(fn)) == _here
    entry = (internal, fn.encode("utf-8", "surrogatepass"),
             code.co_name.encode("utf-8", "surrogatepass"), fn, code.co_name, code)
    if len(_codes) > 100000:  # code made at run time (exec in a loop)
        _codes.clear()
    _codes[id(code)] = entry
    return entry


def _caller(stacklevel: int) -> Any:
    """The frame of the code that called into this package, ``stacklevel - 1``
    frames further out (frames of this package do not count)."""
    f = sys._getframe(2)
    here = _here
    while f is not None and os.path.dirname(os.path.normcase(f.f_code.co_filename)) == here:
        f = f.f_back  # type: ignore[assignment]
    while stacklevel > 1 and f is not None:
        nxt = f.f_back
        if nxt is None:
            break
        f = nxt
        if os.path.dirname(os.path.normcase(f.f_code.co_filename)) != here:
            stacklevel -= 1
    return f


def _level_method(level: int, name: str) -> Callable[..., None]:
    """Logger.debug/info/...: the level check reads the logger's threshold
    field (no FFI call); a call without keyword arguments, while no Python
    callback is attached anywhere, takes this short path; others _log."""

    def method(self: "Logger", msg: object, *args: object, **kwargs: Any) -> None:
        if level >= self._threshold.value:
            if kwargs or _callbacks_live:
                self._log(level, msg, args, **kwargs)
                return
            f = _getframe(1)
            code = f.f_code
            entry = _codes.get(id(code)) or _code_entry(code)
            while entry[0]:
                f = f.f_back  # type: ignore[assignment]
                if f is None:
                    self._log(level, msg, args)
                    return
                code = f.f_code
                entry = _codes.get(id(code)) or _code_entry(code)
            if args:
                fmt_args: Any = args
                if len(args) == 1:
                    a0 = args[0]
                    if type(a0) not in _PLAIN and isinstance(a0, Mapping) and a0:
                        fmt_args = a0
                try:
                    text_msg = str(msg) % fmt_args
                except Exception:
                    self._log(level, msg, args)
                    return
            else:
                text_msg = msg if type(msg) is str else str(msg)
            if _get_ident() not in _named_threads:
                _name_thread()
            _sawmill_log(self._hot, level, entry[1], f.f_lineno, entry[2],
                         text_msg.encode("utf-8", "surrogatepass"))

    method.__name__ = method.__qualname__ = name
    if _speedups is not None:
        return _speedups.LevelMethod(level, method)  # type: ignore[no-any-return]
    return method


# The enabled call in C (bindings/python/sawmill/_speedups.c) when the
# extension was built (CPython 3.11+ with a C compiler at install);
# SAWMILL_NO_SPEEDUPS=1 turns it off. Measured by callgrind: see
# bench/results/python.md.
_speedups: Any
try:
    if os.environ.get("SAWMILL_NO_SPEEDUPS"):
        raise ImportError("SAWMILL_NO_SPEEDUPS")
    from . import _speedups  # type: ignore[attr-defined,no-redef]
except ImportError:
    _speedups = None
else:
    _speedups.init(ctypes.cast(lib.sawmill_log, ctypes.c_void_p).value, _code_entry,
                   _name_thread, globals())
    # Its references to this module's globals are dropped at exit, so that
    # callbacks run while the interpreter finalizes still see this module whole.
    atexit.register(_speedups.clear)


class Logger(Filterer):
    """A sawmill logger (one per name, shared with C code in the process)."""

    def __init__(self, name: str, level: Union[int, str] = NOTSET, *, _ptr: Optional[int] = None
                 ) -> None:
        Filterer.__init__(self)
        if _ptr is None:
            _ptr = lib.sawmill_get_logger(enc(name))
        object.__setattr__(self, "_ptr", _ptr)
        # The logger's lowest emitted level, the first field of sawmill's logger
        # (what SAWMILL_LOG reads inline): the level check costs no call.
        self.name = name
        self._ptr = _ptr
        self._threshold = ctypes.c_int64.from_address(_ptr)
        self._hot = _lib.hot_logger_arg(_ptr)
        self.handlers: List[Handler] = []
        if level:
            self.setLevel(level)

    # level, propagate and disabled live in sawmill
    @property
    def level(self) -> int:
        return lib.sawmill_logger_get_level(self._ptr)  # type: ignore[no-any-return]

    @level.setter
    def level(self, value: int) -> None:
        self.setLevel(value)

    @property
    def propagate(self) -> bool:
        return lib.sawmill_logger_get_propagate(self._ptr)  # type: ignore[no-any-return]

    @propagate.setter
    def propagate(self, value: bool) -> None:
        lib.sawmill_logger_set_propagate(self._ptr, bool(value))

    @property
    def disabled(self) -> bool:
        # sawmill folds `disabled` into the threshold: "no level at all".
        return self._threshold.value >= 2**31  # type: ignore[no-any-return]

    @disabled.setter
    def disabled(self, value: bool) -> None:
        lib.sawmill_logger_set_disabled(self._ptr, bool(value))

    @property
    def parent(self) -> Optional["Logger"]:
        if self is root:
            return None
        name = self.name
        while "." in name:
            name = name.rsplit(".", 1)[0]
            if name in _loggers:
                return _loggers[name]
        return root

    @property
    def root(self) -> "Logger":
        return root

    def _add_c_filter(self, ptr: int) -> int:
        return lib.sawmill_logger_add_filter(self._ptr, ptr)  # type: ignore[no-any-return]

    def _remove_c_filter(self, ptr: int) -> int:
        return lib.sawmill_logger_remove_filter(self._ptr, ptr)  # type: ignore[no-any-return]

    def setLevel(self, level: Union[int, str]) -> None:
        lib.sawmill_logger_set_level(self._ptr, _checkLevel(level))

    def getEffectiveLevel(self) -> int:
        return lib.sawmill_logger_get_effective_level(self._ptr)  # type: ignore[no-any-return]

    def isEnabledFor(self, level: int) -> bool:
        return level >= self._threshold.value  # type: ignore[no-any-return]

    def getChild(self, suffix: str) -> "Logger":
        if self is root:
            return getLogger(suffix)
        return getLogger(".".join((self.name, suffix)))

    def addHandler(self, hdlr: Handler) -> None:
        with _lock:
            if hdlr not in self.handlers:
                if lib.sawmill_logger_add_handler(self._ptr, hdlr._handle()) != 0:
                    raise ValueError(last_error())
                self.handlers.append(hdlr)

    def removeHandler(self, hdlr: Handler) -> None:
        with _lock:
            if hdlr in self.handlers:
                self.handlers.remove(hdlr)
            lib.sawmill_logger_remove_handler(self._ptr, hdlr._handle())

    def hasHandlers(self) -> bool:
        return lib.sawmill_logger_has_handlers(self._ptr)  # type: ignore[no-any-return]

    debug = _level_method(DEBUG, "debug")

    info = _level_method(INFO, "info")

    warning = _level_method(WARNING, "warning")

    def warn(self, msg: object, *args: object, **kwargs: Any) -> None:
        self.warning(msg, *args, **kwargs)

    error = _level_method(ERROR, "error")

    def exception(self, msg: object, *args: object, exc_info: Any = True, **kwargs: Any) -> None:
        if ERROR >= self._threshold.value:
            self._log(ERROR, msg, args, exc_info=exc_info, **kwargs)

    critical = _level_method(CRITICAL, "critical")

    fatal = critical

    def log(self, level: int, msg: object, *args: object, **kwargs: Any) -> None:
        if not isinstance(level, int):
            if raiseExceptions:
                raise TypeError("level must be an integer")
            return
        if level >= self._threshold.value:
            if kwargs or _callbacks_live:
                self._log(level, msg, args, **kwargs)
            else:
                self._fast(level, msg, args)

    if _speedups is not None:
        log = _speedups.LevelMethod(-1, log)  # the level is the first argument

    def _fast(self, level: int, msg: Any, args: Any) -> None:
        """A call without keyword arguments while no Python callback is
        attached anywhere: what _log does, in fewer steps."""
        f = _getframe(2)
        code = f.f_code
        entry = _codes.get(id(code)) or _code_entry(code)
        while entry[0]:
            f = f.f_back  # type: ignore[assignment]
            if f is None:
                return self._log(level, msg, args)
            code = f.f_code
            entry = _codes.get(id(code)) or _code_entry(code)
        if args:
            fmt_args = args
            if len(args) == 1:
                a0 = args[0]
                if type(a0) not in _PLAIN and isinstance(a0, Mapping) and a0:
                    fmt_args = a0
            try:
                text_msg = str(msg) % fmt_args
            except Exception:
                return self._log(level, msg, args)
        else:
            text_msg = msg if type(msg) is str else str(msg)
        if _get_ident() not in _named_threads:
            _name_thread()
        _sawmill_log(self._hot, level, entry[1], f.f_lineno, entry[2],
                     text_msg.encode("utf-8", "surrogatepass"))
        return None

    def findCaller(self, stack_info: bool = False, stacklevel: int = 1
                   ) -> Tuple[str, int, str, Optional[str]]:
        f = _caller(stacklevel)
        if f is None:
            return "(unknown file)", 0, "(unknown function)", None
        sinfo = None
        if stack_info:
            sio = io.StringIO()
            sio.write("Stack (most recent call last):\n")
            traceback.print_stack(f, file=sio)
            sinfo = sio.getvalue()
            if sinfo[-1] == "\n":
                sinfo = sinfo[:-1]
            sio.close()
        co = f.f_code
        return co.co_filename, f.f_lineno, co.co_name, sinfo

    def _log(self, level: int, msg: Any, args: Any, exc_info: Any = None,
             extra: Any = None, stack_info: bool = False, stacklevel: int = 1) -> None:
        if stacklevel == 1 and not stack_info:
            # the common case: the caller of debug()/info()/... or of an adapter
            f = sys._getframe(1)
            while True:
                code = f.f_code
                entry = _codes.get(id(code))
                if entry is None:
                    entry = _code_entry(code)
                if not entry[0]:
                    break
                f = f.f_back  # type: ignore[assignment]
                if f is None:
                    entry = (False, b"(unknown file)", b"(unknown function)", "(unknown file)",
                             "(unknown function)", None)
                    break
            lineno = f.f_lineno if f is not None else 0
            sinfo = None
        else:
            pathname, lineno, func, sinfo = self.findCaller(stack_info, stacklevel)
            entry = (False, pathname.encode("utf-8", "surrogatepass"),
                     func.encode("utf-8", "surrogatepass"), pathname, func, None)
        if args and len(args) == 1 and isinstance(args[0], Mapping) and args[0]:
            args = args[0]
        text_msg = str(msg)
        if args:
            try:
                text_msg = text_msg % args
            except Exception:
                record = LogRecord(self.name, level, entry[3], lineno, msg, args, None, entry[4])
                _report(record)
                return
        exc_text = None
        if exc_info:
            if isinstance(exc_info, BaseException):
                exc_info = (type(exc_info), exc_info, exc_info.__traceback__)
            elif not isinstance(exc_info, tuple):
                exc_info = sys.exc_info()
            exc_text = _defaultFormatter.formatException(exc_info)
        if get_ident() not in _named_threads:
            _name_thread()
        ctx = None
        if _callbacks_live:
            ctx = _CallContext(self.name, level, msg, args, exc_info, extra)
            prev = getattr(_tls, "ctx", None)
            _tls.ctx = ctx
        try:
            if extra is None and exc_text is None and sinfo is None:
                lib.sawmill_log(self._ptr, level, entry[1], lineno, entry[2],
                                text_msg.encode("utf-8", "surrogatepass"))
            else:
                _call(self._ptr, level, entry[3], lineno, entry[4], text_msg, exc_text, sinfo,
                      [(k, extra[k]) for k in extra] if extra is not None else None)
        finally:
            if ctx is not None:
                _tls.ctx = prev
        if ctx is not None and ctx.error is not None:
            raise ctx.error

    def handle(self, record: LogRecord) -> None:
        """Dispatches a record made in Python through this logger."""
        _log_record(self._ptr, record)

    def makeRecord(self, name: str, level: int, fn: str, lno: int, msg: Any, args: Any,
                   exc_info: Any, func: Optional[str] = None, extra: Any = None,
                   sinfo: Optional[str] = None) -> LogRecord:
        rv = LogRecord(name, level, fn, lno, msg, args, exc_info, func, sinfo)
        if extra is not None:
            for key in extra:
                if (key in ["message", "asctime"]) or (key in rv.__dict__):
                    raise KeyError("Attempt to overwrite %r in LogRecord" % key)
                rv.__dict__[key] = extra[key]
        return rv

    def __repr__(self) -> str:
        return "<%s %s (%s)>" % (self.__class__.__name__, self.name,
                                 getLevelName(self.getEffectiveLevel()))

    def __reduce__(self) -> Any:
        return getLogger, (self.name,)


class RootLogger(Logger):
    def __init__(self, level: int = WARNING) -> None:
        Logger.__init__(self, "root", _ptr=lib.sawmill_get_logger(None))

    def __reduce__(self) -> Any:
        return getLogger, ()


_loggerClass: type = Logger
_loggers: Dict[str, Logger] = {}
root = RootLogger(WARNING)
Logger.root = root  # type: ignore[assignment,misc]


class Manager:
    """The stdlib's ``Logger.manager``: ``loggerDict`` holds the loggers made
    from Python (sawmill keeps the tree itself)."""

    def __init__(self, rootnode: Logger) -> None:
        self.root = rootnode
        self.loggerDict = _loggers
        self.disable = 0
        self.emittedNoHandlerWarning = False

    def getLogger(self, name: str) -> Logger:
        return getLogger(name)

    def setLoggerClass(self, klass: type) -> None:
        setLoggerClass(klass)


Logger.manager = Manager(root)  # type: ignore[attr-defined]


def getLogger(name: Optional[str] = None) -> Logger:
    """The logger ``name`` (the root for None, "" or "root"): the same object
    for the same name."""
    if not name or name == "root":
        return root
    logger = _loggers.get(name)
    if logger is None:
        with _lock:
            logger = _loggers.get(name)
            if logger is None:
                cls = _loggerClass
                if cls is Logger:
                    logger = Logger(name)
                else:
                    logger = cls(name)
                _loggers[name] = logger
    return logger


def setLoggerClass(klass: type) -> None:
    global _loggerClass
    if klass is not Logger and not issubclass(klass, Logger):
        raise TypeError("logger not derived from logging.Logger: " + klass.__name__)
    _loggerClass = klass


def getLoggerClass() -> type:
    return _loggerClass


class LoggerAdapter:
    """Python's LoggerAdapter: ``process`` adds ``extra`` to every call."""

    def __init__(self, logger: Any, extra: Any = None) -> None:
        self.logger = logger
        self.extra = extra

    def process(self, msg: Any, kwargs: Any) -> Tuple[Any, Any]:
        kwargs["extra"] = self.extra
        return msg, kwargs

    def debug(self, msg: object, *args: object, **kwargs: Any) -> None:
        self.log(DEBUG, msg, *args, **kwargs)

    def info(self, msg: object, *args: object, **kwargs: Any) -> None:
        self.log(INFO, msg, *args, **kwargs)

    def warning(self, msg: object, *args: object, **kwargs: Any) -> None:
        self.log(WARNING, msg, *args, **kwargs)

    def warn(self, msg: object, *args: object, **kwargs: Any) -> None:
        self.warning(msg, *args, **kwargs)

    def error(self, msg: object, *args: object, **kwargs: Any) -> None:
        self.log(ERROR, msg, *args, **kwargs)

    def exception(self, msg: object, *args: object, exc_info: Any = True, **kwargs: Any) -> None:
        self.log(ERROR, msg, *args, exc_info=exc_info, **kwargs)

    def critical(self, msg: object, *args: object, **kwargs: Any) -> None:
        self.log(CRITICAL, msg, *args, **kwargs)

    def log(self, level: int, msg: object, *args: object, **kwargs: Any) -> None:
        if self.isEnabledFor(level):
            msg, kwargs = self.process(msg, kwargs)
            self.logger.log(level, msg, *args, **kwargs)

    def isEnabledFor(self, level: int) -> bool:
        return self.logger.isEnabledFor(level)  # type: ignore[no-any-return]

    def setLevel(self, level: Union[int, str]) -> None:
        self.logger.setLevel(level)

    def getEffectiveLevel(self) -> int:
        return self.logger.getEffectiveLevel()  # type: ignore[no-any-return]

    def hasHandlers(self) -> bool:
        return self.logger.hasHandlers()  # type: ignore[no-any-return]

    @property
    def name(self) -> str:
        return self.logger.name  # type: ignore[no-any-return]

    def __repr__(self) -> str:
        return "<%s %s (%s)>" % (self.__class__.__name__, self.logger.name,
                                 getLevelName(self.getEffectiveLevel()))


# --- module-level functions --------------------------------------------------------------


def basicConfig(**kwargs: Any) -> None:
    """Python's basicConfig: sawmill builds the handler, except for
    ``handlers=`` and streams other than sys.stdout/sys.stderr."""
    force = kwargs.pop("force", False)
    if not force and root.hasHandlers():
        return  # the stdlib checks nothing then
    handlers = kwargs.pop("handlers", None)
    stream = kwargs.pop("stream", None)
    filename = kwargs.pop("filename", None)
    filemode = kwargs.pop("filemode", "a")
    fmt = kwargs.pop("format", None)
    datefmt = kwargs.pop("datefmt", None)
    style = kwargs.pop("style", "%")
    level = kwargs.pop("level", None)
    kwargs.pop("encoding", None)
    kwargs.pop("errors", None)
    if kwargs:
        raise ValueError("Unrecognised argument(s): %s" % ", ".join(kwargs.keys()))
    if handlers is not None and (stream is not None or filename is not None):
        raise ValueError("'stream' or 'filename' should not be specified together with 'handlers'")
    if stream is not None and filename is not None:
        raise ValueError("'stream' and 'filename' should not be specified together")
    if style not in _STYLES:
        raise ValueError("Style must be one of: %s" % ",".join(_STYLES.keys()))
    with _lock:
        if force:
            for h in root.handlers[:]:
                root.removeHandler(h)
                h.close()
        fd = 0
        if stream is not None:
            fd = _direct_fd(stream)
            if fd < 0:
                handlers = [StreamHandler(stream)]
        if handlers is not None:
            if root.hasHandlers() and root.handlers and not force:
                return
            formatter = Formatter(fmt, datefmt, style)
            for h in handlers:
                if h.formatter is None:
                    h.setFormatter(formatter)
                root.addHandler(h)
            if level is not None:
                root.setLevel(level)
            return
        cfg = _lib.BasicConfig()
        cfg.level = _checkLevel(level) if level is not None else 0
        cfg.format = enc(fmt)
        cfg.datefmt = enc(datefmt)
        cfg.style = _STYLES[style]
        cfg.filename = enc(os.fspath(filename)) if filename is not None else None
        cfg.filemode = enc(filemode)
        cfg.stream_fd = fd
        cfg.force = bool(force)
        if lib.sawmill_basic_config_apply(ctypes.byref(cfg)) != 0:
            raise ValueError(last_error())
        if level is not None and cfg.level == 0:
            root.setLevel(NOTSET)


def critical(msg: object, *args: object, **kwargs: Any) -> None:
    if len(root.handlers) == 0 and not root.hasHandlers():
        basicConfig()
    root.critical(msg, *args, **kwargs)


fatal = critical


def error(msg: object, *args: object, **kwargs: Any) -> None:
    if not root.hasHandlers():
        basicConfig()
    root.error(msg, *args, **kwargs)


def exception(msg: object, *args: object, exc_info: Any = True, **kwargs: Any) -> None:
    error(msg, *args, exc_info=exc_info, **kwargs)


def warning(msg: object, *args: object, **kwargs: Any) -> None:
    if not root.hasHandlers():
        basicConfig()
    root.warning(msg, *args, **kwargs)


def warn(msg: object, *args: object, **kwargs: Any) -> None:
    warning(msg, *args, **kwargs)


def info(msg: object, *args: object, **kwargs: Any) -> None:
    if not root.hasHandlers():
        basicConfig()
    root.info(msg, *args, **kwargs)


def debug(msg: object, *args: object, **kwargs: Any) -> None:
    if not root.hasHandlers():
        basicConfig()
    root.debug(msg, *args, **kwargs)


def log(level: int, msg: object, *args: object, **kwargs: Any) -> None:
    if not root.hasHandlers():
        basicConfig()
    root.log(level, msg, *args, **kwargs)


def disable(level: int = CRITICAL) -> None:
    lib.sawmill_disable(_checkLevel(level))


_shut = False


def shutdown(handlerList: Any = None) -> None:
    """Flushes and closes every handler (Python's logging.shutdown)."""
    global _shut
    if _shut:
        return
    _shut = True
    lib.sawmill_shutdown()


atexit.register(shutdown)

_warnings_showwarning: Any = None


def captureWarnings(capture: bool) -> None:
    import warnings

    global _warnings_showwarning
    if capture:
        if _warnings_showwarning is None:
            _warnings_showwarning = warnings.showwarning

            def showwarning(message: Any, category: Any, filename: str, lineno: int,
                            file: Any = None, line: Any = None) -> None:
                if file is not None:
                    _warnings_showwarning(message, category, filename, lineno, file, line)
                    return
                s = warnings.formatwarning(message, category, filename, lineno, line)
                logger = getLogger("py.warnings")
                if not logger.handlers:
                    logger.addHandler(NullHandler())
                logger.warning(str(s))

            warnings.showwarning = showwarning
    elif _warnings_showwarning is not None:
        warnings.showwarning = _warnings_showwarning
        _warnings_showwarning = None


def currentframe() -> Any:
    return sys._getframe(1)
