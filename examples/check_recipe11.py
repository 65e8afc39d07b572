"""Runs recipe 11's C program in its DIR mode, where it starts a real
rsyslogd on loopback (unprivileged options), sends its two messages and
writes rsyslog's parse to DIR/rsyslog.json; checks the parse: the BOM
exactly where the formatter's U+FEFF put it, after the ASCII section.

  check_recipe11.py BINARY"""
import json
import os
import shutil
import subprocess
import sys
import tempfile


def main():
    binary = sys.argv[1]
    if shutil.which("rsyslogd") is None:
        sys.exit("rsyslogd missing: run scripts/setup.sh")
    with tempfile.TemporaryDirectory(prefix="sawmill-recipe11-") as d:
        subprocess.run([binary, d], check=True, timeout=30)
        with open(os.path.join(d, "rsyslog.json"), encoding="utf-8") as f:
            records = [json.loads(line) for line in f if line.strip()]
    want = [
        {"pri": "134", "version": "1", "hostname": "recipehost", "app_name": "recipe11",
         "msg": "INFO recipe11\ufeffUnicode section: h\u00e9llo \u2713 \u65e5\u672c"},
        {"pri": "132", "version": "1", "hostname": "recipehost", "app_name": "legacy11",
         "msg": "\ufefflegacy Unicode section: \u00fc\u00f1\u00ef"},
    ]
    if records != want:
        sys.exit(f"rsyslog parsed {records!r}, expected {want!r}")
    print("recipe 11: rsyslog found the BOM after the ASCII section")


main()
