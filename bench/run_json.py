"""Runs bench/json.sh's two programs side by side (repetitions interleaved,
order reversed every other one), checks every output file (record count, and
every line of sawmill's and a sample of spdlog's parsed by json.loads), and
writes bench/results/json.md."""
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
from results_file import write_keeping_notes

QUICK = "--quick" in sys.argv
RECORDS = 200_000 if QUICK else 1_000_000
REPS = 2 if QUICK else 9
HERE = os.path.dirname(os.path.abspath(__file__))
BIN = os.path.join(HERE, "results", "bin")
SCRATCH = "/dev/shm" if os.path.isdir("/dev/shm") else None
LIBS = [("sawmill", "bench_json"), ("spdlog", "bench_json_spdlog")]
WORKLOADS = [("file, 64 KiB buffer / basic_logger_st", "file"), ("format only (null sink)", "format_only")]
KEYS = ["asctime", "levelname", "name", "message", "user", "request_id", "elapsed", "cached"]


def check(out, lib, records):
    lines = []
    for name in os.listdir(out):
        with open(os.path.join(out, name), "rb") as f:
            lines += f.read().splitlines()
    if len(lines) != records:
        sys.exit(f"{lib}: {len(lines)} lines, expected {records}")
    sample = lines if lib == "sawmill" else lines[:: max(1, records // 1000)]
    for line in sample:
        obj = json.loads(line)
        if list(obj) != KEYS:
            sys.exit(f"{lib}: keys {list(obj)}")
    last = json.loads(lines[-1])
    if last["request_id"] != records - 1 or last["elapsed"] != (records - 1) * 0.25:
        sys.exit(f"{lib}: last record {last}")


def run_once(program, workload, lib):
    with tempfile.TemporaryDirectory(dir=SCRATCH) as out:
        proc = subprocess.run([os.path.join(BIN, program), workload, str(RECORDS), out],
                              capture_output=True, text=True, timeout=600)
        if proc.returncode != 0:
            sys.exit(f"{program} {workload} failed: {proc.stderr}")
        if workload == "file":
            check(out, lib, RECORDS)
        return RECORDS / float(proc.stdout.split("seconds=")[1])


def main():
    rates = {(w, lib): [] for _, w in WORKLOADS for lib, _ in LIBS}
    for rep in range(REPS + 1):
        for _, workload in WORKLOADS:
            for lib, program in (LIBS if rep % 2 else LIBS[::-1]):
                rate = run_once(program, workload, lib)
                if rep > 0:
                    rates[(workload, lib)].append(rate)
        print(f"repetition {rep}/{REPS} done", file=sys.stderr)
    gcc = subprocess.run(["gcc", "--version"], capture_output=True, text=True).stdout.splitlines()[0]
    rows = ["| workload | library | records/s (median) | ns/record | sawmill ÷ spdlog |", "|---|---|---:|---:|---:|"]
    for title, workload in WORKLOADS:
        ratio = statistics.median(a / b for a, b in zip(rates[(workload, "sawmill")], rates[(workload, "spdlog")]))
        for lib, _ in LIBS:
            median = statistics.median(rates[(workload, lib)])
            paired = f"{ratio:.2f}×" if lib == "sawmill" else "—"
            rows.append(f"| {title} | {lib} | {median:,.0f} | {1e9 / median:.0f} | {paired} |")
    text = "\n".join([
        f"# JSON records ({'quick' if QUICK else 'full'} run)", "",
        f"Machine: {os.cpu_count()} cores, Linux {platform.release()}, {gcc}, Python {platform.python_version()}", "",
        "One record with four extras (str, int, float, bool) per call, "
        f"{RECORDS:,} records per run, median of {REPS} repetitions after one warm-up, the two "
        "libraries interleaved (order reversed every other repetition); the ratio is the median of "
        "the per-repetition ratios. Output on /dev/shm; every file's line count checked, every "
        "sawmill line and every 1000th spdlog line parsed by json.loads with the same keys.", "",
        "- sawmill: `sawmill_log_ex` with four `sawmill_extra`s through `sawmill.JSONFormatter` "
        "(`fields`: asctime, levelname, name, message; extras after them), every string escaped "
        "as json.dumps does (`ensure_ascii`), the float as Python's repr.",
        "- spdlog: no per-call extras and no JSON encoder, so the nearest equivalent: the pattern "
        "`{\"asctime\": \"%Y-%m-%d %H:%M:%S,%e\", \"levelname\": \"%l\", \"name\": \"%n\", %v}` and "
        "the message formatted by fmt as the remaining JSON fields "
        "(`\"message\": \"request handled\", \"user\": \"{}\", ...`). Nothing is escaped, "
        "the level name is lower-case and a whole float prints as `0` rather than `0.0`.", "",
    ] + rows) + "\n"
    print(text)
    write_keeping_notes(os.path.join(HERE, "results", "json.md"), text)


main()
