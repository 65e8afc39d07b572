"""CPython logging's side: FileHandler with the same format (it writes each
record through and flushes: CPython has no buffered file handler, so the
`buffered` workload is the same code as `write_through`), two threads, and
RotatingFileHandler (10 MiB x 3 backups)."""
import logging
import sys
import threading
import time

workload, records, outdir = sys.argv[1], int(sys.argv[2]), sys.argv[3]
logger = logging.getLogger("bench")
logger.setLevel(logging.INFO)
logger.propagate = False
if workload == "rotating":
    import logging.handlers
    handler = logging.handlers.RotatingFileHandler(outdir + "/python.log", maxBytes=10 * 1024 * 1024, backupCount=3)
else:
    handler = logging.FileHandler(outdir + "/python.log", mode="w")
handler.setFormatter(logging.Formatter("%(asctime)s - %(name)s - %(levelname)s - %(message)s"))
logger.addHandler(handler)


def log(count):
    for i in range(count):
        logger.info("Hello logger: msg number %d", i)


start = time.perf_counter()
if workload == "threads":
    threads = [threading.Thread(target=log, args=(records // 2,)) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
else:
    log(records)
handler.flush()
handler.close()
print(f"seconds={time.perf_counter() - start:.9f}")
