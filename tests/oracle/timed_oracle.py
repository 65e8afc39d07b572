"""CPython's TimedRotatingFileHandler as the oracle for timed rotation.

Reads scenarios (JSON on stdin); for each, runs the handler in a fresh
directory with time.time() replaced by the scenario's clock, logs one record
per event time (after writing the existing log a scenario gives, with its
mtime), and prints the resulting directory: {file name: contents}."""
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
        path = os.path.join(d, "app.log")
        if s.get("existing_mtime") is not None:
            # An existing log: CPython takes the first rollover from its mtime.
            with open(path, "w", encoding="utf-8") as f:
                f.write(s["existing_text"])
            os.utime(path, (s["existing_mtime"], s["existing_mtime"]))
        h = logging.handlers.TimedRotatingFileHandler(
            path, when=s["when"], interval=s["interval"],
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
