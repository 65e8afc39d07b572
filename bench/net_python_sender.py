# CPython's SocketHandler cost: N records to 127.0.0.1:PORT; prints seconds.
#   net_python_sender.py PORT N
import logging
import logging.handlers
import sys
import time

port, n = int(sys.argv[1]), int(sys.argv[2])
logger = logging.getLogger("bench")
logger.setLevel(logging.INFO)
logger.addHandler(logging.handlers.SocketHandler("127.0.0.1", port))
start = time.perf_counter()
for i in range(n):
    logger.info("Hello logger: msg number %d", i)
print("%.6f" % (time.perf_counter() - start))
