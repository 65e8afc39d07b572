"""CPython's LogRecord and Formatter as the oracle for attributes a filter
assigns: reads a JSON list of cases on stdin; each gives the record's base
attributes, one attribute to set (as a logging.Filter would, by setattr) and
a formatter; prints a JSON list of the formatted text or null (an error)."""
import json
import logging
import sys
import time

logging.addLevelName(45, "")


class Assign(logging.Filter):
    def __init__(self, key, value):
        super().__init__()
        self.key, self.value = key, value

    def filter(self, record):
        setattr(record, self.key, self.value)
        return True


results = []
for case in json.load(sys.stdin):
    base = case["record"]
    record = logging.LogRecord(base["name"], base["levelno"], base["pathname"],
                               base["lineno"], base["msg"], (), None, base["funcName"])
    for key in ("created", "msecs", "relativeCreated", "thread", "threadName",
                "process", "processName"):
        setattr(record, key, base[key])
    try:
        if case["key"] is not None:
            Assign(case["key"], case["value"]).filter(record)
        formatter = logging.Formatter(case["fmt"], case["datefmt"], case["style"])
        formatter.converter = time.gmtime
        results.append(formatter.format(record))
    except Exception:
        results.append(None)
json.dump(results, sys.stdout, ensure_ascii=False)
