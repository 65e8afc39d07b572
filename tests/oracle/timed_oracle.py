"""CPython's TimedRotatingFileHandler as the oracle for timed rotation.

Reads scenarios (JSON on stdin); for each, runs the handler in a fresh
directory with time.time() replaced by the scenario's clock, logs one record
per event time, and prints the resulting directory: {file name: contents}."""
import json
import logging
import logging.handlers
import os
import sys
import tempfile
import time

time.tzset()
scenarios = json.load(sys.stdin)
now = [0.0]
time.time = lambda: now[0]
results = []
for s in scenarios:
    with tempfile.TemporaryDirectory() as d:
        now[0] = s["start"]
        at = s.get("at_time")
        h = logging.handlers.TimedRotatingFileHandler(
            os.path.join(d, "app.log"), when=s["when"], interval=s["interval"],
            backupCount=s["backup_count"], utc=s["utc"], delay=True,
            atTime=None if at is None else __import__("datetime").time(*at))
        log = logging.Logger("timed")
        log.addHandler(h)
        for i, t in enumerate(s["events"]):
            now[0] = t
            log.warning("event %d", i)
        h.close()
        listing = {}
        for name in sorted(os.listdir(d)):
            with open(os.path.join(d, name), encoding="utf-8") as f:
                listing[name] = f.read()
        results.append(listing)
json.dump(results, sys.stdout)
