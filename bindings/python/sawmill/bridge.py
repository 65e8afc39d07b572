"""Routes the standard library's ``logging`` records into sawmill's tree.

``install()`` puts one handler on the stdlib's root logger: every record a
library logs through stdlib ``logging`` is logged again on the sawmill
logger of the same name (message merged, place, exception text, stack and
extras kept), so sawmill's handlers, levels and filters decide what happens
to it. The record's time is the time it is handed over (microseconds later).
"""

from __future__ import annotations

import logging as _stdlib
from typing import Optional

from . import _log_record, getLogger

_installed: Optional["BridgeHandler"] = None


class BridgeHandler(_stdlib.Handler):
    """A stdlib handler that logs each record on the sawmill logger of its name."""

    def emit(self, record: _stdlib.LogRecord) -> None:
        logger = getLogger(record.name)
        if record.levelno < logger._threshold.value:
            return
        try:
            if record.exc_info and not record.exc_text:
                record.exc_text = _stdlib.Formatter().formatException(record.exc_info)
            _log_record(logger._ptr, record)  # type: ignore[arg-type]
        except Exception:
            self.handleError(record)


def install(level: int = _stdlib.NOTSET) -> BridgeHandler:
    """Adds the bridge to the stdlib's root logger (once) and sets that
    logger's level to ``level`` (NOTSET by default: sawmill's levels decide).
    Returns the handler."""
    global _installed
    if _installed is None:
        _installed = BridgeHandler()
        _stdlib.getLogger().addHandler(_installed)
    _stdlib.getLogger().setLevel(level)
    return _installed


def uninstall() -> None:
    global _installed
    if _installed is not None:
        _stdlib.getLogger().removeHandler(_installed)
        _installed = None
