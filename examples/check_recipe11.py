"""Runs recipe 11's C program against a real rsyslogd (started here on
loopback, unprivileged options) and checks rsyslog's parse: the BOM exactly
where the formatter's U+FEFF put it, after the ASCII section.

  check_recipe11.py BINARY"""
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time

CONF = """global(workDirectory="{d}" parser.escapeControlCharactersOnReceive="off")
module(load="imudp")
template(name="j" type="list" option.jsonf="on") {{
  property(outname="pri" name="pri" format="jsonf")
  property(outname="version" name="protocol-version" format="jsonf")
  property(outname="hostname" name="hostname" format="jsonf")
  property(outname="app_name" name="app-name" format="jsonf")
  property(outname="msg" name="msg" format="jsonf")
}}
ruleset(name="r") {{ action(type="omfile" file="{d}/out.json" template="j") }}
input(type="imudp" address="127.0.0.1" port="{port}" ruleset="r")
"""


def main():
    binary = sys.argv[1]
    if shutil.which("rsyslogd") is None:
        sys.exit("rsyslogd missing: run scripts/setup.sh")
    d = tempfile.mkdtemp(prefix="sawmill-recipe11-")
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    with open(os.path.join(d, "rsyslog.conf"), "w") as f:
        f.write(CONF.format(d=d, port=port))
    daemon = subprocess.Popen(["rsyslogd", "-n", "-C", "-iNONE", "-f", os.path.join(d, "rsyslog.conf")])
    try:
        time.sleep(0.5)
        subprocess.run([binary, str(port)], check=True, timeout=30)
        out = os.path.join(d, "out.json")
        deadline = time.time() + 10
        records = []
        while time.time() < deadline:
            if os.path.exists(out):
                with open(out, encoding="utf-8") as f:
                    records = [json.loads(l) for l in f if l.strip()]
                if len(records) >= 2:
                    break
            time.sleep(0.05)
        want = [
            {"pri": "134", "version": "1", "hostname": "recipehost", "app_name": "recipe11",
             "msg": "INFO recipe11\ufeffUnicode section: h\u00e9llo \u2713 \u65e5\u672c"},
            {"pri": "132", "version": "1", "hostname": "recipehost", "app_name": "legacy11",
             "msg": "\ufefflegacy Unicode section: \u00fc\u00f1\u00ef"},
        ]
        if records != want:
            sys.exit(f"rsyslog parsed {records!r}, expected {want!r}")
        print("recipe 11: rsyslog found the BOM after the ASCII section")
    finally:
        daemon.send_signal(signal.SIGTERM)
        daemon.wait(timeout=10)
        shutil.rmtree(d, ignore_errors=True)


main()
