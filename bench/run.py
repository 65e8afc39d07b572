"""Runs the benchmark programs side by side, repetitions interleaved so a
noisy machine slows every library alike, checks every output file's line
count, prints the table and writes results.md and chart.svg."""
import os
import platform
import statistics
import subprocess
import sys
import tempfile

QUICK = "--quick" in sys.argv
NATIVE = 200_000 if QUICK else 1_000_000
PYTHON = 20_000 if QUICK else 200_000
DISABLED = 10_000_000 if QUICK else 100_000_000
REPS = 2 if QUICK else 9
HERE = os.path.dirname(os.path.abspath(__file__))
BIN = os.path.join(HERE, "results", "bin")
SCRATCH = "/dev/shm" if os.path.isdir("/dev/shm") else None

# workload -> [(library, command, records, expects a log file)]
def program(name):
    return [os.path.join(BIN, name)]

PY = [sys.executable, os.path.join(HERE, "bench_python.py")]
WORKLOADS = {
    "a. file, buffered, 1 thread": [
        ("sawmill", program("bench_sawmill") + ["buffered"], NATIVE, True),
        ("spdlog", program("bench_spdlog") + ["buffered"], NATIVE, True),
        ("glog", program("bench_glog") + ["buffered"], NATIVE, True),
        ("CPython", PY + ["buffered"], PYTHON, True),
    ],
    "b. file, one write per record": [
        ("sawmill", program("bench_sawmill") + ["write_through"], NATIVE, True),
        ("spdlog", program("bench_spdlog") + ["write_through"], NATIVE, True),
        ("glog", program("bench_glog") + ["write_through"], NATIVE, True),
        ("log4c", program("bench_log4c") + ["write_through"], NATIVE, True),
        ("write(2) loop", program("bench_write") + ["write_through"], NATIVE, True),
        ("CPython", PY + ["write_through"], PYTHON, True),
    ],
    "c. 2 threads, one file": [
        ("sawmill", program("bench_sawmill") + ["threads"], NATIVE, True),
        ("spdlog", program("bench_spdlog") + ["threads"], NATIVE, True),
        ("CPython", PY + ["threads"], PYTHON, True),
    ],
    "d. format only (null sink)": [
        ("sawmill", program("bench_sawmill") + ["format_only"], NATIVE, False),
        ("spdlog", program("bench_spdlog") + ["format_only"], NATIVE, False),
    ],
    "e. disabled call": [
        ("sawmill", program("bench_sawmill") + ["disabled"], DISABLED, False),
        ("spdlog", program("bench_spdlog") + ["disabled"], DISABLED, False),
    ],
    "f. 3-level hierarchy, 2 handlers": [
        ("sawmill", program("bench_sawmill") + ["hierarchy"], NATIVE, True),
    ],
    # Rotation keeps only 3 backups of 10 MiB: the oldest records are dropped
    # by design, so the check is that the kept lines are intact and recent.
    "g. rotating 10 MiB × 3, write-through": [
        ("sawmill", program("bench_sawmill") + ["rotating"], NATIVE, "rotating"),
        ("sawmill plain file", program("bench_sawmill") + ["write_through"], NATIVE, True),
        ("sawmill multi-process", program("bench_sawmill") + ["rotating_mp"], NATIVE, "rotating"),
        ("CPython", PY + ["rotating"], PYTHON, "rotating"),
    ],
}


def count_records(directory):
    total = 0
    for root, _, files in os.walk(directory):
        for name in files:
            if os.path.islink(os.path.join(root, name)):
                continue  # glog's "latest log" symlink
            with open(os.path.join(root, name), "rb") as f:
                total += sum(1 for line in f if b"Hello logger: msg number" in line)
    return total


def check_rotated(directory, command, records):
    """Rotated output: every kept line whole, the newest record present, and
    the kept records a contiguous run ending with it."""
    numbers = []
    for name in os.listdir(directory):
        with open(os.path.join(directory, name), "rb") as f:
            for line in f:
                if not line.endswith(b"\n") or b"Hello logger: msg number " not in line:
                    sys.exit(f"{command}: torn or foreign line in {name}: {line!r}")
                numbers.append(int(line.rsplit(b" ", 1)[1]))
    numbers.sort()
    if not numbers or numbers[-1] != records - 1 or numbers != list(range(numbers[0], records)):
        sys.exit(f"{command}: kept records are not the last {len(numbers)} in order")


def run_once(command, records, expects_file):
    with tempfile.TemporaryDirectory(dir=SCRATCH) as out:
        proc = subprocess.run(command + [str(records), out], capture_output=True, text=True, timeout=600)
        if proc.returncode != 0:
            sys.exit(f"{command} failed: {proc.stderr}")
        seconds = float(proc.stdout.strip().split("seconds=")[1])
        if expects_file == "rotating":
            check_rotated(out, command, records)
        elif expects_file:
            written = count_records(out)
            if written != records:
                sys.exit(f"{command}: {written} records on disk, expected {records}")
    return records / seconds


def machine_line():
    cpu = "unknown CPU"
    try:
        with open("/proc/cpuinfo") as f:
            cpu = next(l.split(":", 1)[1].strip() for l in f if l.startswith("model name"))
    except (OSError, StopIteration):
        pass
    gcc = subprocess.run(["gcc", "--version"], capture_output=True, text=True).stdout.splitlines()[0]
    return f"{cpu}, {os.cpu_count()} cores, Linux {platform.release()}, {gcc}, Python {platform.python_version()}"


def svg_chart(rows, path):
    """Horizontal bars of records/s per workload and library (log scale)."""
    import math
    colors = {"sawmill": "#2b7a3d", "spdlog": "#3366cc", "glog": "#cc7a00", "log4c": "#8e44ad",
              "write(2) loop": "#7f7f7f", "CPython": "#c0392b"}
    bar, gap, left, width = 16, 26, 320, 560
    peak = max(v for _, _, v in rows)
    lines, y = [], 30
    current = None
    for workload, lib, value in rows:
        if workload != current:
            y += 8
            lines.append(f'<text x="8" y="{y + 10}" font-weight="bold" font-size="13">{workload}</text>')
            y += gap - 8
            current = workload
        length = max(2, width * math.log10(max(value, 1)) / math.log10(peak))
        lines.append(f'<text x="24" y="{y + 12}" font-size="12">{lib}</text>')
        lines.append(f'<rect x="{left}" y="{y}" width="{length:.1f}" height="{bar}" fill="{colors.get(lib, "#555")}"/>')
        lines.append(f'<text x="{left + length + 6:.1f}" y="{y + 12}" font-size="11">{value:,.0f}/s</text>')
        y += bar + 6
    head = (f'<svg xmlns="http://www.w3.org/2000/svg" width="{left + width + 160}" height="{y + 20}" '
            f'font-family="sans-serif"><text x="8" y="18" font-size="14">records (or calls) per second, '
            f'log scale, median of {REPS}</text>')
    with open(path, "w") as f:
        f.write(head + "".join(lines) + "</svg>\n")


def main():
    results = {(w, lib): [] for w, jobs in WORKLOADS.items() for lib, *_ in jobs}
    for rep in range(REPS + 1):
        for workload, jobs in WORKLOADS.items():
            # Every other repetition runs the libraries in reverse order, so a
            # machine that speeds up or slows down within a repetition favours
            # none of them.
            for lib, command, records, expects_file in (jobs if rep % 2 else jobs[::-1]):
                rate = run_once(command, records, expects_file)
                if rep > 0:  # repetition 0 is the warm-up
                    results[(workload, lib)].append(rate)
        print(f"repetition {rep}/{REPS} done", file=sys.stderr)

    def ratio(workload, ours, theirs):
        """Median over repetitions of the ratio of runs made side by side:
        steadier than a ratio of medians when the machine's speed drifts."""
        return statistics.median(a / b for a, b in zip(results[(workload, ours)], results[(workload, theirs)]))

    rows, table = [], []
    header = "| workload | library | records/s (median) | sawmill ÷ library |"
    table += [header, "|---|---|---:|---:|"]
    for workload, jobs in WORKLOADS.items():
        for lib, *_ in jobs:
            median = statistics.median(results[(workload, lib)])
            rows.append((workload, lib, median))
            paired = "—" if lib == "sawmill" else f"{ratio(workload, 'sawmill', lib):.2f}×"
            unit = "calls/s" if workload.startswith("e.") else ""
            table.append(f"| {workload} | {lib} | {median:,.0f} {unit}| {paired} |")
    a_w, b_w, c_w, d_w, e_w, f_w = (w for w in WORKLOADS if w[0] in "abcdef")
    # (f) against (a) pairs runs of two workloads made in the same repetition.
    f_over_a = statistics.median(x / y for x, y in zip(results[(f_w, "sawmill")], results[(a_w, "sawmill")]))
    e = statistics.median(results[("e. disabled call", "sawmill")])
    e_spd = statistics.median(results[("e. disabled call", "spdlog")])
    rot = "g. rotating 10 MiB × 3, write-through"
    g = statistics.median(results[(rot, "sawmill")])
    g_mp = statistics.median(results[(rot, "sawmill multi-process")])
    notes = [
        f"- (e) disabled call: sawmill {1e9 / e:.2f} ns, spdlog {1e9 / e_spd:.2f} ns per call.",
        f"- (f) hierarchy ÷ sawmill's own (a), paired by repetition: {f_over_a:.2f}.",
        f"- (g) multi-process mode costs {1e9 / g_mp - 1e9 / g:.0f} ns per record over the plain rotating handler "
        f"(lock file, fstat and stat per record).",
    ]
    def median(workload, lib):
        return statistics.median(results[(workload, lib)])

    def target(name, value, goal, at_least=True):
        met = value >= goal if at_least else value <= goal
        sign = "≥" if at_least else "≤"
        return f"| {name} | {value:.2f} | {sign} {goal} | {'met' if met else 'missed'} |"

    targets = [
        "| target | measured | goal | |", "|---|---:|---:|---|",
        target("(a) sawmill ÷ spdlog basic_logger_st", ratio(a_w, "sawmill", "spdlog"), 1.2),
        target("(b) sawmill ÷ raw write(2) loop", ratio(b_w, "sawmill", "write(2) loop"), 0.85),
        target("(b) sawmill ÷ spdlog flush_on(trace)", ratio(b_w, "sawmill", "spdlog"), 1.1),
        target("(b) sawmill ÷ CPython", ratio(b_w, "sawmill", "CPython"), 10),
        target("(c) sawmill ÷ spdlog basic_logger_mt", ratio(c_w, "sawmill", "spdlog"), 1.2),
        target("(d) sawmill ÷ spdlog (formatting null sink)", ratio(d_w, "sawmill", "spdlog"), 1.2),
        target("(e) sawmill's disabled call ÷ spdlog's (time)", 1 / ratio(e_w, "sawmill", "spdlog"), 0.5, at_least=False),
        target("(e) sawmill's disabled call, ns", 1e9 / e, 2, at_least=False),
        target("(f) hierarchy ÷ sawmill's own (a)", f_over_a, 0.8),
        target("(g) rotating ÷ sawmill plain file", ratio(rot, "sawmill", "sawmill plain file"), 0.9),
        target("(g) rotating ÷ CPython RotatingFileHandler", ratio(rot, "sawmill", "CPython"), 30),
    ]
    mode = "quick" if QUICK else "full"
    text = "\n".join([f"# Benchmark results ({mode} run)", "", f"Machine: {machine_line()}", "",
                      f"{NATIVE:,} records per native run, {PYTHON:,} for CPython, {DISABLED:,} disabled calls; "
                      f"median of {REPS} repetitions after one warm-up, libraries interleaved (order reversed "
                      "every other repetition); ratios are medians of the per-repetition ratios; "
                      "output files on /dev/shm, every file's record count checked.", ""] + table + [""] + notes
                     + ["", "## Targets", ""] + targets) + "\n"
    print(text)
    os.makedirs(os.path.join(HERE, "results"), exist_ok=True)
    with open(os.path.join(HERE, "results", "results.md"), "w") as f:
        f.write(text)
    svg_chart(rows, os.path.join(HERE, "results", "chart.svg"))


main()
