# CPython run of cookbook recipe 5 (the shape of examples/recipe05_config_server.c):
# fileConfig('logging.conf'), listen on a free port (written to DIR/port),
# log five messages, wait for a new configuration, log them again.
import logging
import logging.config
import sys
import time

outdir = sys.argv[1]
logging.config.fileConfig(outdir + "/logging.conf")
t = logging.config.listen(0)
t.start()
t.ready.wait()
logger = logging.getLogger("simpleExample")


def log_all():
    logger.debug("debug message")
    logger.info("info message")
    logger.warning("warn message")
    logger.error("error message")
    logger.critical("critical message")


log_all()
sys.stdout.flush()
before = list(logging.root.handlers)
with open(outdir + "/port", "w") as f:
    f.write("%d\n" % t.port)
deadline = time.time() + 20
while logging.root.handlers == before and time.time() < deadline:
    time.sleep(0.01)
log_all()
logging.config.stopListening()
t.join()
