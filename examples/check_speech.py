"""Checks recipe 16's C program: run it (optionally with --queue) into a
temporary directory; espeak-ng must have written speech-1.wav ("Hello") and
speech-2.wav ("Goodbye"), each a valid WAV file that is not silent and lasts
a plausible time for one word (0.2 to 5 seconds). With --queue, the second
logging call must have taken under a tenth of the time espeak-ng then needed
to finish both words, and the first (which also sets up the thread's ring
and the listener) less than that whole time: calls take microseconds, each
espeak-ng run tens of milliseconds, so a call that waited for a run would
fail. The bounds are relative so that a loaded machine or a sanitizer
build, which slows both sides, does not decide the outcome.

  check_speech.py BINARY [--queue]"""
import array
import os
import re
import subprocess
import sys
import tempfile
import wave


def check_wav(path):
    with wave.open(path, "rb") as w:
        frames, rate, width = w.getnframes(), w.getframerate(), w.getsampwidth()
        data = w.readframes(frames)
    seconds = frames / rate
    if width != 2 or not 0.2 <= seconds <= 5.0:
        sys.exit(f"{path}: {seconds:.2f} s of {8 * width}-bit samples: not a spoken word")
    samples = array.array("h", data)
    peak = max(abs(s) for s in samples)
    if peak < 1000:
        sys.exit(f"{path}: silent (peak {peak})")
    print(f"{os.path.basename(path)}: {seconds:.2f} s at {rate} Hz, peak {peak}")


def main():
    binary, queued = sys.argv[1], "--queue" in sys.argv[2:]
    with tempfile.TemporaryDirectory() as out:
        cmd = [binary, out] + (["--queue"] if queued else [])
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=120)
        if proc.returncode != 0:
            sys.exit(f"{cmd} failed ({proc.returncode}): {proc.stderr}")
        names = sorted(os.listdir(out))
        if names != ["speech-1.wav", "speech-2.wav"]:
            sys.exit(f"expected two WAV files, got {names}")
        for name in names:
            check_wav(os.path.join(out, name))
        if queued:
            calls = [int(n) for n in re.findall(r"^call (\d+) ns$", proc.stdout, re.M)]
            speech = [int(n) for n in re.findall(r"^speech (\d+) ns$", proc.stdout, re.M)]
            # The first call also makes the thread's ring and starts the
            # listener (milliseconds under ASan), so it is only held to
            # returning before espeak-ng finished; the second is the
            # steady-state call and must be far below one espeak-ng run.
            if (len(calls) != 2 or len(speech) != 1 or calls[0] >= speech[0]
                    or calls[1] * 10 >= speech[0]):
                sys.exit(f"logging calls through the queue took {calls} ns, espeak-ng {speech} ns")
            print(f"calls through the queue: {calls} ns; espeak-ng finished {speech[0]} ns later")
    print("ok")


main()
