# CPython run of cookbook recipe 17 (buffering, output only if errors).
import logging
import sys
from logging.handlers import MemoryHandler

logger = logging.getLogger(__name__)
logger.addHandler(logging.NullHandler())


def log_if_errors(logger, target_handler=None, flush_level=None, capacity=None):
    target_handler = target_handler or logging.StreamHandler()
    flush_level = logging.ERROR if flush_level is None else flush_level
    capacity = 100 if capacity is None else capacity
    handler = MemoryHandler(capacity, flushLevel=flush_level, target=target_handler)

    def decorator(fn):
        def wrapper(*args, **kwargs):
            logger.addHandler(handler)
            try:
                return fn(*args, **kwargs)
            except Exception:
                logger.exception("call failed")
                raise
            finally:
                super(MemoryHandler, handler).flush()
                logger.removeHandler(handler)
        return wrapper
    return decorator


def write_line(s):
    sys.stderr.write("%s\n" % s)


def foo(fail=False):
    for name in ("DEBUG", "INFO", "WARNING") + (("ERROR", "CRITICAL") if fail else ()):
        write_line("about to log at %s ..." % name)
        logger.log(getattr(logging, name), "Actually logged at %s" % name)
    return fail


decorated_foo = log_if_errors(logger)(foo)

if __name__ == "__main__":
    logger.setLevel(logging.DEBUG)
    write_line("Calling undecorated foo with False")
    assert not foo(False)
    write_line("Calling undecorated foo with True")
    assert foo(True)
    write_line("Calling decorated foo with False")
    assert not decorated_foo(False)
    write_line("Calling decorated foo with True")
    assert decorated_foo(True)
