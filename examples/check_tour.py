"""Runs the cookbook tour and checks it: exit status 0 within 30 s; every
recipe of the cookbook's contents (1-19, with 7.1 and 7.2) under its title,
in order; each section showing what its recipe is about (the line a
recipe's own ctest checks in full), or, for a recipe needing a program this
machine lacks, the line saying it was skipped. A second run with an empty
PATH (no rsyslogd, no espeak-ng) must still exit 0, recipes 11 and 16 each
saying in one line that they were skipped.

  check_tour.py COOKBOOK_TOUR"""
import os
import re
import subprocess
import sys
import tempfile

# The cookbook's titles, numbered as its contents and the examples are;
# the markers of each section.
RECIPES = [
    ("1 Using logging in multiple modules",
     ['spam_application.auxiliary - INFO - received a call to "some_function"']),
    ("2 Logging from multiple threads", ["MainThread Hello from main", "Thread-1 Hi from myfunc"]),
    ("3 Multiple handlers and formatters", ["simple_example - CRITICAL - critical message",
                                            "simple_example - DEBUG - debug message"]),
    ("4 Logging to multiple destinations",
     ["myapp.area2 : ERROR    The five boxing wizards jump quickly.",
      "myapp.area1  DEBUG    Quick zephyrs blow, vexing daft Jim."]),
    ("5 Configuration server example",
     ["simpleExample - DEBUG - debug message", "NEW WARNING:simpleExample:warn message"]),
    ("6 Sending and receiving logging events across a network",
     [" myapp.area1     DEBUG    Quick zephyrs blow, vexing daft Jim.",
      " myapp.area2     ERROR    The five boxing wizards jump quickly."]),
    ("7 Adding contextual information to your logging output", []),
    ("7.1 Using LoggerAdapters to impart contextual information",
     ["INFO     recipe07 [conn-42] connected from 10.0.0.1", "ERROR    recipe07.ctx seq-2: second event"]),
    ("7.2 Using Filters to impart contextual information",
     ["d.e.f INFO     IP: 127.0.0.1       User: fred     A message at INFO level with 2 parameters"]),
    ("8 Logging to a single file from multiple processes",
     ["all.log: 2000 lines from 4 processes", "every record exactly once, every line whole"]),
    ("9 Using file rotation", ["logging_rotatingfile_example.out.5\n", "i = 19"]),
    ("10 An example dictionary-based configuration",
     ["INFO custom info", "--- file mail_admins.log:\ncustom error\nrequest error\n"]),
    ("11 Inserting a BOM into messages sent to a SysLogHandler",
     [('"msg":"INFO recipe11\ufeffUnicode section: h\u00e9llo',
       "rsyslogd is not installed: recipe 11 skipped")]),
    ("12 Implementing structured logging",
     ['message 1 >>> {"snowman": "\\u2603", "set_value": [1, 2, 3]}']),
    ("13 Customizing handlers with dictConfig()",
     [("chowntest.log owner nobody:nogroup", "not root: the file is not given to nobody:nogroup"),
      "DEBUG mylogger A debug message"]),
    ("14 Configuring filters with dictConfig()", ["--- console:\nchanged: hello\n\n"]),
    ("15 Customized exception formatting",
     ["|ERROR|ZeroDivisionError: division by zero| 'Traceback (most recent call last):\\n"]),
    ("16 Speaking logging messages",
     [("--- file speech-2.wav:\n(audio, ", "espeak-ng is not installed: recipe 16 skipped")]),
    ("17 Buffering logging messages and outputting them conditionally",
     ["Calling decorated foo with True", "Actually logged at CRITICAL"]),
    ("18 Formatting times using UTC (GMT) via configuration",
     ["The local time is shown first in UTC", "UTC hour ", "local hour "]),
    ("19 Using a context manager for selective logging",
     ["5. This should appear twice - once on stderr and once on stdout.\n" * 2]),
]


def run(env=None):
    proc = subprocess.run([sys.argv[1]], capture_output=True, text=True, timeout=30, env=env)
    out = proc.stdout
    if proc.returncode != 0 or proc.stderr:
        sys.exit(f"the tour exited {proc.returncode}; stderr: {proc.stderr}\n{out}")
    parts = re.split(r"^=== Recipe (.*) ===$", out, flags=re.M)
    titles, bodies = parts[1::2], parts[2::2]
    want = [title for title, _ in RECIPES]
    if titles != want:
        sys.exit(f"titles {titles}\nexpected {want}")
    if "failed" in out.replace("0 of 20 recipes failed", ""):
        sys.exit(f"a recipe failed:\n{out}")
    return dict(zip(want, bodies))


def main():
    sections = run()
    for title, markers in RECIPES:
        for marker in markers:
            choices = marker if isinstance(marker, tuple) else (marker,)
            if not any(choice in sections[title] for choice in choices):
                sys.exit(f"recipe {title}: none of {choices!r} in\n{sections[title]}")
    with tempfile.TemporaryDirectory() as empty:
        bare = run(dict(os.environ, PATH=empty))
    for number, program in (("11", "rsyslogd"), ("16", "espeak-ng")):
        body = next(b for t, b in bare.items() if t.startswith(number + " "))
        if f"{program} is not installed: recipe {number} skipped" not in body:
            sys.exit(f"without {program}, recipe {number} did not say it was skipped:\n{body}")
    print(f"the tour ran {len(RECIPES) - 1} recipes, every title and marker present; "
          "without rsyslogd and espeak-ng it skipped 11 and 16 and still succeeded")


main()
