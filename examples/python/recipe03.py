# CPython run of cookbook recipe 3, writing into argv[1].
import logging
import sys

log = logging.getLogger("simple_example")
log.setLevel(logging.DEBUG)
to_file = logging.FileHandler(sys.argv[1] + "/spam.log")
to_file.setLevel(logging.DEBUG)
to_console = logging.StreamHandler()
to_console.setLevel(logging.ERROR)
fmt = logging.Formatter("%(asctime)s - %(name)s - %(levelname)s - %(message)s")
to_console.setFormatter(fmt)
to_file.setFormatter(fmt)
log.addHandler(to_console)
log.addHandler(to_file)
log.debug("debug message")
log.info("info message")
log.warning("warn message")
log.error("error message")
log.critical("critical message")
