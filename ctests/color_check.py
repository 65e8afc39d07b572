"""ColorStreamHandler (issue 13) checked through ctests/color_stream.c:
piped or redirected to a file, `auto` writes no escape codes; FORCE_COLOR
colours, NO_COLOR wins over FORCE_COLOR in `auto`; `always`/`never` ignore
both; with the codes removed every line equals CPython's own output for the
same format (the padding of `%(levelname)-8s` stays outside the codes); and
in a real terminal (a detached tmux session, `capture-pane -e`) each level
shows its colour, unless NO_COLOR is set."""
import itertools
import logging
import os
import re
import subprocess
import sys
import tempfile
import time

PROG = sys.argv[1]
FMT = "%(levelname)-8s|%(message)s"
LEVELS = ["DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"]
# DEBUG is overridden to blue ("34") by the driver; the rest are defaults.
COLOURS = {
    "DEBUG": "\x1b[34m",
    "INFO": "\x1b[32m",
    "WARNING": "\x1b[33m\x1b[1m",
    "ERROR": "\x1b[31m\x1b[1m",
    "CRITICAL": "\x1b[1m\x1b[41m",
}
SGR = re.compile(r"\x1b\[([0-9;]*)m")
failures = []


def check(cond, what):
    if not cond:
        failures.append(what)
        print("FAIL:", what)


def oracle():
    """CPython's text for the driver's five records."""
    fmt = logging.Formatter(FMT)
    lines = []
    for name in LEVELS:
        rec = logging.LogRecord("app", getattr(logging, name), "x.c", 1,
                                name.lower() + " record", None, None)
        lines.append(fmt.format(rec))
    return lines


def env(**extra):
    e = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "FORCE_COLOR")}
    e.update(extra)
    return e


def run(mode, how, **extra):
    out = subprocess.run([PROG, mode, how], env=env(**extra), stdout=subprocess.PIPE,
                         check=True, timeout=30).stdout.decode()
    return out.splitlines()


want = oracle()
painted = [COLOURS[n] + n + "\x1b[0m" + l[len(n):] for l, n in zip(want, LEVELS)]
for how in ("dict", "c"):
    check(run("auto", how) == want, f"{how}: auto into a pipe has no escape codes")
    check(run("auto", how, FORCE_COLOR="1") == painted, f"{how}: FORCE_COLOR colours")
    check(run("auto", how, FORCE_COLOR="") == want, f"{how}: an empty FORCE_COLOR is unset")
    check(run("auto", how, FORCE_COLOR="1", NO_COLOR="1") == want,
          f"{how}: NO_COLOR wins over FORCE_COLOR")
    check(run("always", how, NO_COLOR="1") == painted, f"{how}: always ignores NO_COLOR")
    check(run("never", how, FORCE_COLOR="1") == want, f"{how}: never ignores FORCE_COLOR")
    with tempfile.TemporaryFile() as f:
        subprocess.run([PROG, "auto", how], env=env(), stdout=f, check=True, timeout=30)
        f.seek(0)
        check(f.read().decode().splitlines() == want, f"{how}: auto into a file has no codes")
    stripped = [SGR.sub("", l) for l in painted]
    check(stripped == want, f"{how}: widths kept")


SESSIONS = itertools.count()


def tmux_capture(**extra):
    """Runs the driver in a detached tmux session (a real pty) and returns
    `capture-pane -e -p` once the last record is on screen."""
    # A server of its own per call: kill-server returns before the previous
    # server is gone, and a new session on its socket then fails at random.
    sock = f"sawmill-color-{os.getpid()}-{next(SESSIONS)}"
    cmd = " ".join(f"{k}={v}" for k, v in extra.items())
    shell = f"env -u NO_COLOR -u FORCE_COLOR {cmd} {PROG} auto dict wait"
    base = ["tmux", "-L", sock]
    subprocess.run(base + ["-f", "/dev/null", "new-session", "-d", "-x", "100", "-y", "20",
                           "-s", "color", shell], check=True, env=env(TERM="xterm-256color"))
    try:
        deadline = time.time() + 20
        while True:
            screen = subprocess.run(base + ["capture-pane", "-e", "-p", "-t", "color"],
                                    stdout=subprocess.PIPE, check=True).stdout.decode()
            if "critical record" in screen or time.time() > deadline:
                return screen
            time.sleep(0.1)
    finally:
        subprocess.run(base + ["kill-server"], check=False)


screen = tmux_capture()
lines = [l for l in screen.splitlines() if "record" in l]
check(len(lines) == 5, f"tmux: five records on screen, got {screen!r}")
for line, name, plain in zip(lines, LEVELS, want):
    start = line.find(name)
    params = set()
    for m in SGR.finditer(line[:start]):
        params.update(m.group(1).split(";"))
    expected = {p for m in SGR.finditer(COLOURS[name]) for p in m.group(1).split(";")}
    check(expected <= params, f"tmux: {name} shown with SGR {sorted(expected)}, saw {line!r}")
    check(SGR.sub("", line).rstrip() == plain, f"tmux: {name} line text {line!r}")
    check(SGR.search(line[start + len(name):]) is not None, f"tmux: colour ends after {name}")
screen = tmux_capture(NO_COLOR="1")
lines = [l for l in screen.splitlines() if "record" in l]
check(len(lines) == 5 and not any("\x1b" in l for l in lines),
      f"tmux: NO_COLOR beats a terminal, got {screen!r}")

print("color_check:", "FAILED" if failures else "ok", f"({len(failures)} failures)")
sys.exit(1 if failures else 0)
