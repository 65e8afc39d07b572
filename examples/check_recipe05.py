"""Checks cookbook recipe 5: the C program and CPython (python/recipe05.py)
each start from the cookbook's logging.conf, listen, and get a new
configuration from the cookbook's sender script (python/recipe05_send.py);
both must print the same (timestamps masked), and the new configuration
must show in the second half.

  check_recipe05.py BINARY"""
import os
import re
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))

# The cookbook's logging.conf, and what an operator sends: WARNING and above,
# another format (the files the C recipe's tour mode uses too).
with open(os.path.join(HERE, "recipe05.logging.conf"), encoding="utf-8") as f:
    INITIAL = f.read()
with open(os.path.join(HERE, "recipe05.new.conf"), encoding="utf-8") as f:
    NEW = f.read()


def mask(text):
    return re.sub(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3}", "<ASCTIME>", text)


def run(command):
    with tempfile.TemporaryDirectory() as d:
        with open(os.path.join(d, "logging.conf"), "w") as f:
            f.write(INITIAL)
        with open(os.path.join(d, "new.conf"), "w") as f:
            f.write(NEW)
        proc = subprocess.Popen(command + [d], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                text=True)
        port_file = os.path.join(d, "port")
        deadline = time.time() + 20
        while not os.path.exists(port_file) or not open(port_file).read().endswith("\n"):
            if time.time() > deadline or proc.poll() is not None:
                proc.kill()
                sys.exit(f"{command}: no port file; stderr: {proc.communicate()[1]}")
            time.sleep(0.01)
        port = open(port_file).read().strip()
        sender = subprocess.run([sys.executable, os.path.join(HERE, "python", "recipe05_send.py"),
                                 os.path.join(d, "new.conf"), port],
                                capture_output=True, text=True, timeout=30)
        if sender.returncode != 0 or sender.stdout != "connecting...\nsending config...\ncomplete\n":
            sys.exit(f"sender failed: {sender.stdout} {sender.stderr}")
        out, err = proc.communicate(timeout=30)
        if proc.returncode != 0:
            sys.exit(f"{command} failed ({proc.returncode}): {err}")
        return mask(out), mask(err)


def main():
    c_out, c_err = run([sys.argv[1]])
    py_out, py_err = run([sys.executable, os.path.join(HERE, "python", "recipe05.py")])
    if (c_out, c_err) != (py_out, py_err):
        sys.exit(f"differs from CPython:\n--- C\n{c_out}{c_err}--- CPython\n{py_out}{py_err}")
    if "NEW WARNING:simpleExample:warn message" not in c_out or c_out.count("debug message") != 1:
        sys.exit(f"the new configuration did not take:\n{c_out}")
    print(c_out, end="")


main()
