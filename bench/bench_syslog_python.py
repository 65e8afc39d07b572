"""CPython's SysLogHandler to a syslog daemon on loopback (its legacy bytes).
  bench_syslog_python.py udp|tcp|unix RECORDS PORT|PATH"""
import logging
import logging.handlers
import socket
import sys
import time

transport, records, target = sys.argv[1], int(sys.argv[2]), sys.argv[3]
if transport == "unix":
    handler = logging.handlers.SysLogHandler(address=target, socktype=socket.SOCK_DGRAM)
else:
    kind = socket.SOCK_STREAM if transport == "tcp" else socket.SOCK_DGRAM
    handler = logging.handlers.SysLogHandler(address=("127.0.0.1", int(target)), socktype=kind)
logger = logging.getLogger("bench")
logger.setLevel(logging.INFO)
logger.propagate = False
logger.addHandler(handler)
start = time.perf_counter()
for i in range(records):
    logger.info("Hello logger: msg number %d", i)
handler.flush()
handler.close()
print(f"seconds={time.perf_counter() - start:.9f}")
