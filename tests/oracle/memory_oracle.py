"""CPython's MemoryHandler as the oracle of tests/memory_differential.rs.

Reads a JSON list of sequences on stdin; for each, builds a MemoryHandler
(capacity, flushLevel, flushOnClose) on its own logger with two capture
targets A and B (each with a level of its own, which MemoryHandler.flush
does not consult), runs the operations and prints, one JSON list per
sequence, what reached the targets in order: "A|levelname|msg|lineno"."""
import json
import logging
import logging.handlers
import sys


class Capture(logging.Handler):
    def __init__(self, tag, level, out):
        super().__init__(level)
        self.tag, self.out = tag, out
        self.setFormatter(logging.Formatter("%(levelname)s|%(message)s|%(lineno)d"))

    def emit(self, record):
        self.out.append(self.tag + "|" + self.format(record))


def run(seq, index):
    out = []
    targets = {t: Capture(t, seq["levels"][t], out) for t in ("A", "B")}
    mh = logging.handlers.MemoryHandler(
        seq["capacity"], flushLevel=seq["flush_level"], target=targets["A"],
        flushOnClose=seq["flush_on_close"])
    mh.setLevel(seq["handler_level"])
    logger = logging.getLogger(f"mem.{index}")
    logger.propagate = False
    logger.setLevel(1)
    logger.addHandler(mh)
    for op in seq["ops"]:
        if op[0] == "log":
            record = logger.makeRecord(logger.name, op[1], "/src/app.c", op[3], op[2], None, None, "fn")
            logger.handle(record)
        elif op[0] == "flush":
            mh.flush()
        elif op[0] == "target":
            mh.setTarget(targets[op[1]])
        elif op[0] == "close":
            mh.close()
    return out


def main():
    seqs = json.load(sys.stdin)
    json.dump([run(s, i) for i, s in enumerate(seqs)], sys.stdout)


main()
