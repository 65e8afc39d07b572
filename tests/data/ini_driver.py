# The CPython side of tests/file_config_differential.rs: runs one case's
# steps (write a file, create loggers, apply an INI file with
# logging.config.fileConfig, log) and writes which configurations were
# accepted to RESULT. Usage: ini_driver.py CASE DIR RESULT
import json
import logging
import logging.config
import os
import sys

case = json.load(open(sys.argv[1]))
base = sys.argv[2]
result_path = sys.argv[3]
ini_path = os.path.join(os.path.dirname(base), "py.ini")


def subst(v):
    if isinstance(v, str):
        return v.replace("$DIR", base)
    if isinstance(v, list):
        return [subst(x) for x in v]
    return v


results, errors = [], []
for step in case["steps"]:
    step = {k: subst(v) for k, v in step.items()}
    if "write" in step:
        with open(os.path.join(base, step["write"][0]), "w") as f:
            f.write(step["write"][1])
    elif "loggers" in step:
        for name in step["loggers"]:
            logging.getLogger(name)
    elif "ini" in step:
        text, disable = step["ini"]
        with open(ini_path, "w") as f:
            f.write(text)
        try:
            logging.config.fileConfig(ini_path, disable_existing_loggers=disable)
            results.append("ok")
        except Exception as e:  # the outcome is what is compared
            results.append("error")
            errors.append(repr(e))
    elif "log" in step:
        for name, level, msg in step["log"]:
            logging.getLogger(name).log(level, msg)
logging.shutdown()
sys.stdout.flush()
sys.stderr.flush()
with open(result_path, "w") as f:
    json.dump({"results": results, "errors": errors}, f)
