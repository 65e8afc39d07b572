# The CPython side of tests/dict_differential.rs: runs one case's steps
# (write a file, create loggers, apply a dictConfig, log) and writes which
# configurations were accepted to RESULT. Usage: dict_driver.py CASE DIR RESULT
import copy
import json
import logging
import logging.config
import os
import sys

case = json.load(open(sys.argv[1]))
base = sys.argv[2]
result_path = sys.argv[3]


def subst(v):
    if isinstance(v, str):
        return v.replace("$DIR", base)
    if isinstance(v, list):
        return [subst(x) for x in v]
    if isinstance(v, dict):
        return {k: subst(x) for k, x in v.items()}
    return v


def as_312(cfg):
    """CPython 3.12 passes a formatter's `defaults`; 3.11's dictConfig drops
    it. The same call through `()` gives 3.12's behaviour on 3.11."""
    formatters = cfg.get("formatters") if isinstance(cfg, dict) else None
    if isinstance(formatters, dict):
        for f in formatters.values():
            if isinstance(f, dict) and "defaults" in f and "()" not in f and not f.get("class"):
                f["()"] = "logging.Formatter"
                if "format" in f:
                    f["fmt"] = f.pop("format")
    return cfg


exec(case.get("py_prelude", ""), globals())
results, errors = [], []
for step in case["steps"]:
    step = subst(step)
    if "write" in step:
        with open(os.path.join(base, step["write"][0]), "w") as f:
            f.write(step["write"][1])
    elif "loggers" in step:
        for name in step["loggers"]:
            logging.getLogger(name)
    elif "config" in step:
        try:
            logging.config.dictConfig(as_312(copy.deepcopy(step["config"])))
            results.append("ok")
        except Exception as e:  # the outcome is what is compared
            results.append("error")
            errors.append("%r (cause %r)" % (e, e.__cause__))
    elif "log" in step:
        for name, level, msg in step["log"]:
            logging.getLogger(name).log(level, msg)
logging.shutdown()
sys.stdout.flush()
sys.stderr.flush()
with open(result_path, "w") as f:
    json.dump({"results": results, "errors": errors}, f)
