"""CPython's logging.Formatter as the oracle, in ONE process for a whole test
run: formats the pinned cases of cases.json and, with --random SEED COUNT,
that many seeded random cases (random_cases.py), across every time zone
(TZ is switched with time.tzset between cases).

    format_oracle.py cases.json [--random SEED COUNT] [--write-cases PATH]

Prints a JSON list with one result per case, in order: ["ok", text],
["construct", error] (Formatter() raised) or ["format", error] (format()
raised). --write-cases writes the full case list (pinned, then random) for
the Rust side to format the same cases."""
import json
import logging
import math
import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import random_cases  # noqa: E402

# Registered custom levels, as the Rust side registers them too.
logging.addLevelName(5, "TRACE")
logging.addLevelName(15, "VERBOSE é")


def decode(value):
    if isinstance(value, dict) and set(value) == {"float"}:
        return float(value["float"])
    return value


class Assign(logging.Filter):
    """A filter that assigns attributes on the record, as filters may."""

    def __init__(self, changes):
        super().__init__()
        self.changes = changes

    def filter(self, record):
        for key, value in self.changes:
            setattr(record, key, decode(value))
        return True


def run(case):
    rec = dict(case["record"])
    extras = rec.pop("extras", None) or {}
    rec.update({k: decode(v) for k, v in extras.items()})
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
    defaults = case.get("defaults")
    if defaults is not None:
        defaults = {k: decode(v) for k, v in defaults.items()}
    try:
        formatter = logging.Formatter(case["fmt"], case["datefmt"], case["style"], defaults=defaults)
    except Exception as e:  # noqa: BLE001 - any refusal counts
        return ["construct", f"{type(e).__name__}: {e}"]
    if case["utc"]:
        formatter.converter = time.gmtime
    if case.get("record_changes"):
        Assign(case["record_changes"]).filter(record)
    try:
        return ["ok", formatter.format(record)]
    except Exception as e:  # noqa: BLE001
        return ["format", f"{type(e).__name__}: {e}"]


def main(argv):
    cases = json.load(open(argv[1], encoding="utf-8"))
    if "--random" in argv:
        i = argv.index("--random")
        cases += random_cases.generate(int(argv[i + 1]), int(argv[i + 2]))
    if "--write-cases" in argv:
        with open(argv[argv.index("--write-cases") + 1], "w", encoding="utf-8") as out:
            json.dump(cases, out, ensure_ascii=False)
    results = []
    zone = None
    for case in cases:
        if case["tz"] != zone:
            zone = case["tz"]
            os.environ["TZ"] = zone
            time.tzset()
        results.append(run(case))
    json.dump(results, sys.stdout, ensure_ascii=False)


main(sys.argv)
