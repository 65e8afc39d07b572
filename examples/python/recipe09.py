# CPython run of cookbook recipe 9 in argv[1]; prints the file names sorted.
import logging
import logging.handlers
import os
import sys

base = "logging_rotatingfile_example.out"
log = logging.getLogger("MyLogger")
log.setLevel(logging.DEBUG)
log.addHandler(logging.handlers.RotatingFileHandler(os.path.join(sys.argv[1], base), maxBytes=20, backupCount=5))
for i in range(20):
    log.debug("i = %d" % i)
for name in sorted(n for n in os.listdir(sys.argv[1]) if n.startswith(base)):
    print(name)
