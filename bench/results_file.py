"""Writes a benchmark's results file, keeping its hand-written notes: every
line from the first `## ` heading of the existing file on is appended after
the freshly generated text (which has no `## ` heading of its own)."""
import os


def write_keeping_notes(path, text):
    notes = ""
    if os.path.exists(path):
        with open(path) as f:
            old = f.read()
        at = old.find("\n## ")
        if at >= 0:
            notes = old[at:]
    with open(path, "w") as f:
        f.write(text.rstrip("\n") + "\n" + notes)
