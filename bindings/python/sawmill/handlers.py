"""``logging.handlers`` over sawmill's sinks, under the stdlib's names and
argument names."""

from __future__ import annotations

import ctypes
import os
import queue as _queue
import socket
import threading
from typing import Any, List, Optional, Sequence, Tuple, Union

from . import (
    ERROR,
    FileHandler,
    Handler,
    LogRecord,
    _destroy,
    _lib,
    _overrides,
    _register,
    _should_flush_cb,
    last_error,
)
from ._lib import enc, lib

DEFAULT_TCP_LOGGING_PORT = 9020
DEFAULT_UDP_LOGGING_PORT = 9021
DEFAULT_HTTP_LOGGING_PORT = 9022
DEFAULT_SOAP_LOGGING_PORT = 9023
SYSLOG_UDP_PORT = 514
SYSLOG_TCP_PORT = 514

_MIDNIGHT = 24 * 60 * 60


class BaseRotatingHandler(FileHandler):
    """Rotation happens inside sawmill; ``namer``/``rotator`` are not called."""

    namer = None
    rotator = None


class RotatingFileHandler(BaseRotatingHandler):
    def __init__(self, filename: Any, mode: str = "a", maxBytes: int = 0, backupCount: int = 0,
                 encoding: Optional[str] = None, delay: bool = False,
                 errors: Optional[str] = None) -> None:
        if maxBytes > 0:
            mode = "a"
        self.maxBytes = maxBytes
        self.backupCount = backupCount
        self._file_init(filename, mode, encoding, delay, errors)

    def _make(self) -> int:
        self._python_stream = False
        return lib.sawmill_rotating_file_handler_new(  # type: ignore[no-any-return]
            enc(self.baseFilename), enc(self.mode), self.maxBytes, self.backupCount, self.delay)


class TimedRotatingFileHandler(BaseRotatingHandler):
    def __init__(self, filename: Any, when: str = "h", interval: int = 1, backupCount: int = 0,
                 encoding: Optional[str] = None, delay: bool = False, utc: bool = False,
                 atTime: Any = None, errors: Optional[str] = None) -> None:
        self.when = when.upper()
        self.interval = interval
        self.backupCount = backupCount
        self.utc = utc
        self.atTime = atTime
        self._file_init(filename, "a", encoding, delay, errors)
        if atTime is not None:
            if lib.sawmill_timed_rotating_file_handler_set_at_time(
                    self._ptr, atTime.hour, atTime.minute, atTime.second) != 0:
                raise ValueError(last_error())

    def _make(self) -> int:
        self._python_stream = False
        return lib.sawmill_timed_rotating_file_handler_new(  # type: ignore[no-any-return]
            enc(self.baseFilename), enc(self.when), self.interval, self.backupCount, self.utc)


class WatchedFileHandler(FileHandler):
    def __init__(self, filename: Any, mode: str = "a", encoding: Optional[str] = None,
                 delay: bool = False, errors: Optional[str] = None) -> None:
        self._file_init(filename, mode, encoding, delay, errors)

    def _make(self) -> int:
        self._python_stream = False
        return lib.sawmill_watched_file_handler_new(  # type: ignore[no-any-return]
            enc(self.baseFilename), enc(self.mode), self.delay)


class SocketHandler(Handler):
    """Pickles each record's dict behind a 4-byte length, as CPython."""

    def __init__(self, host: str, port: Optional[int]) -> None:
        self.host = host
        self.port = port
        self.address: Any = (host, port) if port is not None else host
        self.closeOnError = False
        self.retryTime = None
        Handler.__init__(self)

    def _make(self) -> int:
        return lib.sawmill_socket_handler_new(  # type: ignore[no-any-return]
            enc(self.host), self.port or 0)


class DatagramHandler(SocketHandler):
    def _make(self) -> int:
        return lib.sawmill_datagram_handler_new(  # type: ignore[no-any-return]
            enc(self.host), self.port or 0)


class SysLogHandler(Handler):
    LOG_EMERG, LOG_ALERT, LOG_CRIT, LOG_ERR, LOG_WARNING, LOG_NOTICE, LOG_INFO, LOG_DEBUG = range(8)
    LOG_KERN = 0
    LOG_USER = 1
    LOG_MAIL = 2
    LOG_DAEMON = 3
    LOG_AUTH = 4
    LOG_SYSLOG = 5
    LOG_LPR = 6
    LOG_NEWS = 7
    LOG_UUCP = 8
    LOG_CRON = 9
    LOG_AUTHPRIV = 10
    LOG_FTP = 11
    LOG_NTP = 12
    LOG_SECURITY = 13
    LOG_CONSOLE = 14
    LOG_SOLCRON = 15
    LOG_LOCAL0, LOG_LOCAL1, LOG_LOCAL2, LOG_LOCAL3 = 16, 17, 18, 19
    LOG_LOCAL4, LOG_LOCAL5, LOG_LOCAL6, LOG_LOCAL7 = 20, 21, 22, 23

    priority_names = {
        "alert": LOG_ALERT, "crit": LOG_CRIT, "critical": LOG_CRIT, "debug": LOG_DEBUG,
        "emerg": LOG_EMERG, "err": LOG_ERR, "error": LOG_ERR, "info": LOG_INFO,
        "notice": LOG_NOTICE, "panic": LOG_EMERG, "warn": LOG_WARNING, "warning": LOG_WARNING,
    }
    facility_names = {
        "auth": LOG_AUTH, "authpriv": LOG_AUTHPRIV, "console": LOG_CONSOLE, "cron": LOG_CRON,
        "daemon": LOG_DAEMON, "ftp": LOG_FTP, "kern": LOG_KERN, "lpr": LOG_LPR,
        "mail": LOG_MAIL, "news": LOG_NEWS, "ntp": LOG_NTP, "security": LOG_SECURITY,
        "solaris-cron": LOG_SOLCRON, "syslog": LOG_SYSLOG, "user": LOG_USER, "uucp": LOG_UUCP,
        "local0": LOG_LOCAL0, "local1": LOG_LOCAL1, "local2": LOG_LOCAL2, "local3": LOG_LOCAL3,
        "local4": LOG_LOCAL4, "local5": LOG_LOCAL5, "local6": LOG_LOCAL6, "local7": LOG_LOCAL7,
    }
    priority_map = {"DEBUG": "debug", "INFO": "info", "WARNING": "warning", "ERROR": "error",
                    "CRITICAL": "critical"}

    def __init__(self, address: Any = ("localhost", SYSLOG_UDP_PORT), facility: Any = LOG_USER,
                 socktype: Any = None) -> None:
        self.address = address
        self.facility = facility
        self.socktype = socktype
        self.ident = ""
        self.append_nul = True
        Handler.__init__(self)

    def _make(self) -> int:
        opts = _lib.SyslogOptions()
        address = self.address
        if isinstance(address, str):
            opts.path = enc(address)
        else:
            opts.host = enc(address[0])
            opts.port = address[1] or 0
        if self.socktype == socket.SOCK_DGRAM:
            opts.socktype = 1
        elif self.socktype == socket.SOCK_STREAM:
            opts.socktype = 2
        facility = self.facility
        opts.facility = enc(str(facility))
        self._opts = opts
        return lib.sawmill_syslog_handler_new(ctypes.byref(opts))  # type: ignore[no-any-return]


class HTTPHandler(Handler):
    def __init__(self, host: str, url: str, method: str = "GET", secure: bool = False,
                 credentials: Optional[Tuple[str, str]] = None, context: Any = None) -> None:
        method = method.upper()
        if method not in ["GET", "POST"]:
            raise ValueError("method must be GET or POST")
        if not secure and context is not None:
            raise ValueError("context parameter only makes sense with secure=True")
        self.host = host
        self.url = url
        self.method = method
        self.secure = secure
        self.credentials = credentials
        self.context = context
        Handler.__init__(self)

    def _make(self) -> int:
        user, password = self.credentials if self.credentials else (None, None)
        return lib.sawmill_http_handler_new(  # type: ignore[no-any-return]
            enc(self.host), enc(self.url), enc(self.method), self.secure, enc(user),
            enc(password), False, 0)


class SMTPHandler(Handler):
    def __init__(self, mailhost: Any, fromaddr: str, toaddrs: Union[str, Sequence[str]],
                 subject: str, credentials: Optional[Tuple[str, str]] = None,
                 secure: Any = None, timeout: float = 5.0) -> None:
        if isinstance(mailhost, (list, tuple)):
            self.mailhost, self.mailport = mailhost
        else:
            self.mailhost, self.mailport = mailhost, None
        self.fromaddr = fromaddr
        if isinstance(toaddrs, str):
            toaddrs = [toaddrs]
        self.toaddrs = list(toaddrs)
        self.subject = subject
        self.credentials = credentials
        self.secure = secure
        self.timeout = timeout
        Handler.__init__(self)

    def _make(self) -> int:
        user, password = self.credentials if self.credentials else (None, None)
        addrs = (ctypes.c_char_p * len(self.toaddrs))(*[enc(a) for a in self.toaddrs])
        return lib.sawmill_smtp_handler_new(  # type: ignore[no-any-return]
            enc(self.mailhost), self.mailport or 0, enc(self.fromaddr), addrs, len(self.toaddrs),
            enc(self.subject), enc(user), enc(password), self.secure is not None, False,
            int(self.timeout * 1000))


class BufferingHandler(Handler):
    """sawmill's MemoryHandler without a target: ``flush`` drops the buffer,
    as the stdlib's BufferingHandler.flush does."""

    def __init__(self, capacity: int) -> None:
        self.capacity = capacity
        self.flushLevel = 2**31 - 1
        self.target: Optional[Handler] = None
        self.flushOnClose = True
        Handler.__init__(self)
        if _overrides(self, BufferingHandler, "shouldFlush"):
            lib.sawmill_memory_handler_set_should_flush(
                self._ptr, _should_flush_cb, _register(self), _destroy)

    def _make(self) -> int:
        target = self.target._handle() if self.target is not None else None
        return lib.sawmill_memory_handler_new(  # type: ignore[no-any-return]
            self.capacity, self.flushLevel, target, self.flushOnClose)

    def shouldFlush(self, record: LogRecord) -> bool:
        return (getattr(self, "_sawmill_buffered", 0) >= self.capacity)

    def flush(self) -> None:
        lib.sawmill_memory_handler_discard(self._handle())


class MemoryHandler(BufferingHandler):
    def __init__(self, capacity: int, flushLevel: int = ERROR, target: Optional[Handler] = None,
                 flushOnClose: bool = True) -> None:
        self.capacity = capacity
        self.flushLevel = flushLevel
        self.target = target
        self.flushOnClose = flushOnClose
        Handler.__init__(self)
        if _overrides(self, MemoryHandler, "shouldFlush"):
            lib.sawmill_memory_handler_set_should_flush(
                self._ptr, _should_flush_cb, _register(self), _destroy)

    def shouldFlush(self, record: LogRecord) -> bool:
        return (getattr(self, "_sawmill_buffered", 0) >= self.capacity) or (
            record.levelno >= self.flushLevel)

    def setTarget(self, target: Optional[Handler]) -> None:
        self.target = target
        lib.sawmill_memory_handler_set_target(
            self._handle(), target._handle() if target is not None else None)

    def flush(self) -> None:
        lib.sawmill_handler_flush(self._handle())


class QueueHandler(Handler):
    """Puts records (prepared as the stdlib does) on ``queue``; a
    QueueListener, or any reader, takes them off. For sawmill's own
    queue (a listener thread in the library, no Python queue), use
    ``sawmill.handlers.AsyncHandler``."""

    def __init__(self, queue: Any) -> None:
        self.queue = queue
        self.listener = None
        Handler.__init__(self)

    def enqueue(self, record: LogRecord) -> None:
        self.queue.put_nowait(record)

    def prepare(self, record: LogRecord) -> LogRecord:
        msg = self.format(record)
        import copy

        plain = LogRecord(record.name, record.levelno, record.pathname, record.lineno, msg, None,
                          None, record.funcName, record.stack_info)
        for k, v in record.__dict__.items():
            if not k.startswith("_") and k not in ("msg", "args", "exc_info", "exc_text",
                                                   "message"):
                plain.__dict__[k] = copy.copy(v)
        plain.msg = msg
        plain.message = msg  # (annotated on LogRecord)
        plain.args = None
        plain.exc_info = None
        plain.exc_text = None
        return plain

    def emit(self, record: LogRecord) -> None:
        try:
            self.enqueue(self.prepare(record))
        except Exception:
            self.handleError(record)


class QueueListener:
    _sentinel = None

    def __init__(self, queue: Any, *handlers: Handler, respect_handler_level: bool = False
                 ) -> None:
        self.queue = queue
        self.handlers = handlers
        self._thread: Optional[threading.Thread] = None
        self.respect_handler_level = respect_handler_level

    def dequeue(self, block: bool) -> Any:
        return self.queue.get(block)

    def start(self) -> None:
        self._thread = t = threading.Thread(target=self._monitor)
        t.daemon = True
        t.start()

    def prepare(self, record: LogRecord) -> LogRecord:
        return record

    def handle(self, record: LogRecord) -> None:
        record = self.prepare(record)
        for handler in self.handlers:
            if not self.respect_handler_level or record.levelno >= handler.level:
                handler.handle(record)

    def _monitor(self) -> None:
        q = self.queue
        has_task_done = hasattr(q, "task_done")
        while True:
            try:
                record = self.dequeue(True)
                if record is self._sentinel:
                    if has_task_done:
                        q.task_done()
                    break
                self.handle(record)
                if has_task_done:
                    q.task_done()
            except _queue.Empty:
                break

    def enqueue_sentinel(self) -> None:
        self.queue.put_nowait(self._sentinel)

    def stop(self) -> None:
        if self._thread:
            self.enqueue_sentinel()
            self._thread.join()
            self._thread = None


class AsyncHandler(Handler):
    """sawmill's QueueHandler: records go to a bounded queue that a thread in
    the library drains into ``handlers`` (Python 3.12's QueueHandler with its
    listener, in one object)."""

    def __init__(self, *handlers: Handler, respect_handler_level: bool = False,
                 maxsize: int = 0, overflow: int = 0, timeout_ms: int = 0) -> None:
        self.handlers: List[Handler] = list(handlers)
        self.respect_handler_level = respect_handler_level
        self.maxsize = maxsize
        self.overflow = overflow
        self.timeout_ms = timeout_ms
        Handler.__init__(self)

    def _make(self) -> int:
        arr = (ctypes.c_void_p * len(self.handlers))(*[h._handle() for h in self.handlers])
        return lib.sawmill_queue_handler_new(  # type: ignore[no-any-return]
            arr, len(self.handlers), self.respect_handler_level, self.maxsize, self.overflow,
            self.timeout_ms)
