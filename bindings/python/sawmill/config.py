"""``logging.config`` over sawmill: the configuration is applied by the
library (atomically). Python objects a dictionary names — ``()`` factories
given as callables or as dotted names that import to Python code, a
``class`` that is a Python class — are registered as sawmill factories for
the call."""

from __future__ import annotations

import copy
import ctypes
import importlib
import io
import json
import os
import sys
import tempfile
import threading
from typing import Any, Dict, List, Optional

from . import (
    Filter,
    Formatter,
    Handler,
    _destroy,
    _filter_handle,
    _lib,
    _register,
    last_error,
)
from ._lib import enc, lib

DEFAULT_LOGGING_CONFIG_PORT = 9030
RESET_ERROR = 104  # ECONNRESET

_SAWMILL_CLASSES = ("logging.", "sawmill.")


def _resolve(name: str) -> Any:
    """Imports a dotted name as the stdlib's BaseConfigurator.resolve does."""
    parts = name.split(".")
    used = parts.pop(0)
    found = importlib.import_module(used)
    for frag in parts:
        used += "." + frag
        try:
            found = getattr(found, frag)
        except AttributeError:
            importlib.import_module(used)
            found = getattr(found, frag)
    return found


def _python_object(value: Any) -> Any:
    """The Python callable a ``()`` or ``class`` value names, or None when
    sawmill knows the name itself."""
    if callable(value):
        return value
    if not isinstance(value, str):
        return None
    name = value[len("ext://"):] if value.startswith("ext://") else value
    if name.startswith(_SAWMILL_CLASSES) and _c_class_name(name) is not None:
        return None
    try:
        return _resolve(name)
    except (ImportError, AttributeError, ValueError):
        return None


# sawmill's own classes, as sawmill's configuration knows them
_SAWMILL_OWN = {"sawmill.CommandHandler", "sawmill.JSONFormatter", "sawmill.JournalHandler"}
_C_CLASSES = {
    "logging.FileHandler", "logging.Filter", "logging.Formatter", "logging.NullHandler",
    "logging.StreamHandler",
} | {"logging.handlers." + n for n in (
    "DatagramHandler", "HTTPHandler", "MemoryHandler", "QueueHandler", "QueueListener",
    "RotatingFileHandler", "SMTPHandler", "SocketHandler", "SysLogHandler",
    "TimedRotatingFileHandler", "WatchedFileHandler")} | _SAWMILL_OWN


def _c_class_name(name: str) -> Optional[str]:
    """The name sawmill's configuration knows a class by (``sawmill.X`` is
    ``logging.X``, ``sawmill.handlers.X`` ``logging.handlers.X``), or None."""
    if name in _C_CLASSES:
        return name
    if name.startswith("sawmill."):
        mapped = "logging." + name[len("sawmill."):]
        if mapped in _C_CLASSES:
            return mapped
    return None


def _rename_classes(config: Dict[str, Any]) -> None:
    for section in ("handlers", "filters", "formatters"):
        entries = config.get(section)
        if isinstance(entries, dict):
            for entry in entries.values():
                if isinstance(entry, dict):
                    for key in ("class", "()"):
                        value = entry.get(key)
                        if isinstance(value, str):
                            mapped = _c_class_name(value)
                            if mapped is not None and mapped != value:
                                entry[key] = mapped


_factories: List[Any] = []
_counter = [0]
_kinds = {
    "handlers": ("sawmill_register_handler_factory", "handler"),
    "filters": ("sawmill_register_filter_factory", "filter"),
    "formatters": ("sawmill_register_formatter_factory", "formatter"),
}


def _handle_of(obj: Any, kind: str) -> int:
    """A new reference to the sawmill object behind ``obj``."""
    if kind == "handler":
        if not isinstance(obj, Handler):
            raise TypeError("factory did not return a Handler: %r" % (obj,))
        return lib.sawmill_handler_retain(obj._handle())  # type: ignore[no-any-return]
    if kind == "formatter":
        if not isinstance(obj, Formatter):
            raise TypeError("factory did not return a Formatter: %r" % (obj,))
        return lib.sawmill_formatter_retain(obj._handle())  # type: ignore[no-any-return]
    return lib.sawmill_filter_retain(_filter_handle(obj))  # type: ignore[no-any-return]


class _Factory:
    def __init__(self, fn: Any, kind: str) -> None:
        self.fn = fn
        self.kind = kind
        self.objects: List[Any] = []
        self.error: Optional[BaseException] = None

    def build(self, kwargs: Dict[str, Any]) -> Any:
        fn = self.fn
        if self.kind == "formatter":
            try:
                return fn(**kwargs)
            except TypeError as te:
                if "'format'" not in str(te) or "format" not in kwargs:
                    raise
                kwargs = dict(kwargs)
                kwargs["fmt"] = kwargs.pop("format")
                return fn(**kwargs)
        return fn(**kwargs)


@_lib.FACTORY_FN
def _factory_cb(token: int, options: int) -> Optional[int]:
    from . import _objects

    factory = _objects.get(token)
    if factory is None:
        return None
    try:
        raw = lib.sawmill_options_json(options)
        kwargs = json.loads(raw.decode("utf-8")) if raw else {}
        obj = factory.build(kwargs)
        factory.objects.append(obj)
        return _handle_of(obj, factory.kind)
    except Exception as e:  # the configuration is refused; re-raised by dictConfig
        factory.error = e
        return None


def _prepare(config: Dict[str, Any]) -> List[_Factory]:
    """Replaces Python objects in ``config`` by names registered as sawmill
    factories; returns the factories (kept alive with their products)."""
    made: List[_Factory] = []
    for section, (register, kind) in _kinds.items():
        entries = config.get(section)
        if not isinstance(entries, dict):
            continue
        for entry in entries.values():
            if not isinstance(entry, dict):
                continue
            key = "()" if "()" in entry else ("class" if kind == "handler" and "class" in entry
                                              else None)
            if key is None:
                continue
            target = _python_object(entry[key])
            if target is None:
                continue
            _counter[0] += 1
            name = "sawmill_py_factory_%d" % _counter[0]
            factory = _Factory(target, kind)
            if getattr(lib, register)(enc(name), _factory_cb, _register(factory), _destroy) != 0:
                raise ValueError(last_error())
            made.append(factory)
            if key == "class":
                del entry["class"]
            entry["()"] = name
        # Python objects as values: streams become their ext:// names.
        for entry in entries.values():
            if isinstance(entry, dict):
                for k, v in list(entry.items()):
                    if v is sys.stdout or v is sys.__stdout__:
                        entry[k] = "ext://sys.stdout"
                    elif v is sys.stderr or v is sys.__stderr__:
                        entry[k] = "ext://sys.stderr"
    return made


def _jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    return value


def dictConfig(config: Dict[str, Any]) -> None:
    """Python's dictConfig, applied by sawmill (all or nothing)."""
    config = copy.deepcopy(config) if _deepcopyable(config) else dict(config)
    factories = _prepare(config)
    _rename_classes(config)
    text = json.dumps(_jsonable(config), default=str)
    if lib.sawmill_dict_config_json(enc(text)) != 0:
        err = last_error()
        for f in factories:
            if f.error is not None:
                raise ValueError(err) from f.error
        raise ValueError(err)
    _keep.extend(factories)


_keep: List[_Factory] = []


def _deepcopyable(config: Any) -> bool:
    try:
        copy.deepcopy(config)
        return True
    except Exception:
        return False


def fileConfig(fname: Any, defaults: Any = None, disable_existing_loggers: bool = True,
               encoding: Optional[str] = None) -> None:
    """Python's fileConfig (INI), read by sawmill (which never evaluates)."""
    if defaults:
        raise NotImplementedError("sawmill: fileConfig defaults= is not supported")
    if isinstance(fname, (str, bytes, os.PathLike)):
        if lib.sawmill_file_config(enc(os.fspath(fname)) if not isinstance(fname, bytes)
                                   else fname, bool(disable_existing_loggers)) != 0:
            raise ValueError(last_error())
        return
    # A ConfigParser or a file object: through a temporary file.
    sio = io.StringIO()
    if hasattr(fname, "write") and hasattr(fname, "sections"):
        fname.write(sio)
    else:
        sio.write(fname.read())
    with tempfile.NamedTemporaryFile("w", suffix=".ini", delete=False) as tmp:
        tmp.write(sio.getvalue())
    try:
        if lib.sawmill_file_config(enc(tmp.name), bool(disable_existing_loggers)) != 0:
            raise ValueError(last_error())
    finally:
        os.unlink(tmp.name)


_verify_fns: List[Any] = []


class _Listener:
    """What ``listen`` returns: ``start()`` opens sawmill's config server
    (it runs on the library's own threads)."""

    def __init__(self, port: int, verify: Any) -> None:
        self.port = port
        self.verify = verify
        self.ready = threading.Event()
        self.bound_port: Optional[int] = None

    def start(self) -> None:
        verify_fn = None
        if self.verify is not None:
            user_verify = self.verify

            def _verify(user_data: Any, data: int, length: int) -> bool:
                try:
                    body = ctypes.string_at(data, length)
                    return user_verify(body) is not None
                except Exception:
                    return False

            verify_fn = _lib.VERIFY_FN(_verify)
            _verify_fns.append(verify_fn)
        out = ctypes.c_int(0)
        null_verify = _lib.VERIFY_FN()
        if lib.sawmill_config_listen(b"127.0.0.1", self.port,
                                     verify_fn if verify_fn is not None else null_verify,
                                     None, ctypes.byref(out)) != 0:
            raise OSError(last_error())
        self.bound_port = out.value
        self.ready.set()

    def join(self, timeout: Optional[float] = None) -> None:
        pass

    def is_alive(self) -> bool:
        return self.bound_port is not None


def listen(port: int = DEFAULT_LOGGING_CONFIG_PORT, verify: Any = None) -> _Listener:
    return _Listener(port, verify)


def stopListening() -> None:
    lib.sawmill_config_stop_listening()


# The names dictConfig users sometimes import.
valid_ident = None
__all__ = ["dictConfig", "fileConfig", "listen", "stopListening", "Filter",
           "DEFAULT_LOGGING_CONFIG_PORT"]
