"""CPython's logging.Formatter as the oracle: reads cases.json, formats every
case whose tz is $TZ, prints a JSON list of [index, output-or-null]."""
import json
import logging
import os
import sys
import time

time.tzset()
# A registered custom level, as the Rust side registers it too.
logging.addLevelName(5, "TRACE")
tz = os.environ["TZ"]
cases = json.load(open(sys.argv[1], encoding="utf-8"))
results = []
for index, case in enumerate(cases):
    if case["tz"] != tz:
        continue
    rec = dict(case["record"])
    extras = rec.pop("extras", None) or {}
    rec.update(extras)
    rec["msecs"] = int((rec["created"] - int(rec["created"])) * 1000) + 0.0
    rec.setdefault("exc_text", None)
    rec.setdefault("stack_info", None)
    rec["levelname"] = logging.getLevelName(rec["levelno"])
    if rec["pathname"] is None:
        rec["pathname"], rec["filename"], rec["module"] = "(unknown file)", "(unknown file)", "(unknown file)"
    else:
        rec["filename"] = os.path.basename(rec["pathname"])
        rec["module"] = os.path.splitext(rec["filename"])[0]
    if rec["funcName"] is None:
        rec["funcName"] = "(unknown function)"
    rec["args"] = ()
    record = logging.makeLogRecord(rec)
    try:
        formatter = logging.Formatter(case["fmt"], case["datefmt"], case["style"],
                                      defaults=case.get("defaults"))
        if case["utc"]:
            formatter.converter = time.gmtime
        results.append([index, formatter.format(record)])
    except Exception:
        results.append([index, None])
json.dump(results, sys.stdout, ensure_ascii=False)
