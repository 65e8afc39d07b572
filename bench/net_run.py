"""Network benchmark (issue 11), in one session so the ratios hold:

1. Receiver ingest: 4 local sawmill C senders (SocketHandler, CPython's
   pickled frames, batched 64 KiB so the senders are not the bottleneck) into `sawmill receive` (RotatingFileHandler-less file
   handler, 256 KiB buffer) and into CPython's cookbook receiver (its stderr
   to a file), both on /dev/shm, both with the cookbook receiver's format.
   The clock runs from the senders' start until every line is in the file.
2. SocketHandler cost per record: sawmill's C sender and CPython's
   SocketHandler, each alone, sending to `sawmill receive` writing /dev/null.

  net_run.py BIN_DIR SAWMILL_EXE [--quick]
Writes bench/results/net.md and prints it."""
import os
import resource
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from results_file import write_keeping_notes

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
BIN, SAWMILL = sys.argv[1], sys.argv[2]
QUICK = "--quick" in sys.argv
REPS = 1 if QUICK else 5
SENDERS = 4
# Per sender. A full run is chosen so both receivers run for about the same time (~2.5 s
# at this machine's rates): start-up and the end of a run (the senders'
# exit, the buffered file's last interval flush, up to 200 ms) then weigh
# the same on both rates.
N_SAWMILL = 20_000 if QUICK else 500_000
N_CPYTHON = 5_000 if QUICK else 25_000


def start_sawmill(out_path):
    p = subprocess.Popen([SAWMILL, "receive", "--tcp", "127.0.0.1:0", "--file", out_path,
                          "--buffer", "262144"], stdout=subprocess.PIPE)
    line = p.stdout.readline().decode()
    port = int(line.split("tcp=")[1].split()[0])
    return p, port


def free_port():
    import socket
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_cpython(out_path):
    port = free_port()
    err = open(out_path, "wb")
    p = subprocess.Popen([sys.executable, "-u", os.path.join(ROOT, "examples", "python",
                                                             "recipe06_receiver.py"), str(port)],
                         stdout=subprocess.PIPE, stderr=err)
    assert b"About to start" in p.stdout.readline()
    return p, port


RECORD = b"Hello logger: msg number "


def wait_lines(path, want, quiet=1.0):
    """Waits until `want` records are in `path`, or none came for `quiet`
    seconds; returns (records, seconds until the last one came). A record
    counts once its whole line is in the file and carries the senders'
    message: the same count for both receivers."""
    seen, offset, tail = 0, 0, b""
    start = last = time.perf_counter()
    while seen < want and time.perf_counter() - last < quiet:
        with open(path, "rb") as f:
            f.seek(offset)
            chunk = f.read()
        offset += len(chunk)
        if chunk:
            lines = (tail + chunk).split(b"\n")
            tail = lines.pop()
            seen += sum(1 for line in lines if RECORD in line)
            last = time.perf_counter()
        else:
            time.sleep(0.005)
    return seen, last - start


def ingest(kind, n):
    d = tempfile.mkdtemp(dir="/dev/shm")
    out = os.path.join(d, "out.log")
    p, port = (start_sawmill if kind == "sawmill" else start_cpython)(out)
    # CPython's cookbook receiver reads a frame's length with one recv(4)
    # and drops the connection when it gets fewer bytes; batched frames
    # (split anywhere by TCP) make that common, so it gets one send per
    # record, as from CPython's SocketHandler. Even so a send that fills the
    # socket buffer is split, and it drops a connection now and then: its
    # rate counts the lines it wrote, up to the last one.
    batch = "65536" if kind == "sawmill" else "0"
    try:
        senders = [subprocess.Popen([os.path.join(BIN, "net_sender"), str(port), str(n), batch],
                                    stdout=subprocess.PIPE, stderr=subprocess.PIPE)
                   for _ in range(SENDERS)]
        lines, elapsed = wait_lines(out, SENDERS * n)
        cpu = cpu_seconds(p.pid)
        for s in senders:
            s.wait()
    finally:
        p.send_signal(signal.SIGTERM)
        p.wait()
        subprocess.run(["rm", "-rf", d])
    LOST[kind] = LOST.get(kind, 0) + SENDERS * n - lines
    CPU.setdefault(kind, []).append(cpu / lines * 1e6)
    return lines / elapsed


def cpu_seconds(pid):
    """User + system CPU seconds the process has used (all its threads)."""
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


CPU = {}


LOST = {}




def handler_cost(cmd, n, *extra):
    d = tempfile.mkdtemp(dir="/dev/shm")
    p, port = start_sawmill("/dev/null")
    try:
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        out = subprocess.run(cmd + [str(port), str(n), *extra], capture_output=True, check=True)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
        return float(out.stdout) / n * 1e6, cpu / n * 1e6
    finally:
        p.send_signal(signal.SIGTERM)
        p.wait()
        subprocess.run(["rm", "-rf", d])


def main():
    rates = {"sawmill": [], "cpython": []}
    for _ in range(REPS):
        rates["sawmill"].append(ingest("sawmill", N_SAWMILL))
        rates["cpython"].append(ingest("cpython", N_CPYTHON))
    s, c = statistics.median(rates["sawmill"]), statistics.median(rates["cpython"])
    n_cost = 20_000 if QUICK else 200_000
    def cost(cmd, n, *extra):
        runs = [handler_cost(cmd, n, *extra) for _ in range(REPS)]
        return (statistics.median(r[0] for r in runs), statistics.median(r[1] for r in runs))
    c_cost = cost([os.path.join(BIN, "net_sender")], n_cost)
    c_batched = cost([os.path.join(BIN, "net_sender")], n_cost, "65536")
    py_cost = cost([sys.executable, os.path.join(HERE, "net_python_sender.py")], n_cost // 4)
    lines = [
        "# Network benchmark (issue 11)",
        "",
        f"{SENDERS} local sawmill C senders (SocketHandler; 64 KiB batches to sawmill, one send per "
        f"record to CPython's receiver, which cannot take batches), records on /dev/shm, "
        f"median of {REPS}.",
        "",
        "| receiver | records | records/s |",
        "|---|---|---|",
        f"| sawmill receive (file, 256 KiB buffer) | {SENDERS * N_SAWMILL} | {s:,.0f} |",
        f"| CPython cookbook receiver (stderr to a file) | {SENDERS * N_CPYTHON} | {c:,.0f} |",
        f"| ratio | | **{s / c:.1f}x** |",
        "",
        "The receivers' CPU time per record (sawmill's barely moves with the machine's load;",
        "CPython's does, its handler threads handing the GIL to each other):",
        "",
        "| receiver | CPU µs per record (user + system, median) |",
        "|---|---|",
        f"| sawmill receive | {statistics.median(CPU['sawmill']):.2f} |",
        f"| CPython cookbook receiver | {statistics.median(CPU['cpython']):.2f} |",
        f"| ratio | **{statistics.median(CPU['cpython']) / statistics.median(CPU['sawmill']):.1f}x** |",
        "",
        "SocketHandler cost, one sender to sawmill receive writing /dev/null: wall time per",
        "logging call (it includes waiting for the receiver when the socket buffer is full) and",
        "the sender process's CPU time per record (start-up included):",
        "",
        "| SocketHandler | wall µs per call | CPU µs per record |",
        "|---|---|---|",
        f"| sawmill (C), one send per record as CPython | {c_cost[0]:.2f} | {c_cost[1]:.2f} |",
        f"| sawmill (C), 64 KiB batches | {c_batched[0]:.2f} | {c_batched[1]:.2f} |",
        f"| CPython 3.11 | {py_cost[0]:.2f} | {py_cost[1]:.2f} |",
        "",
        f"all runs: sawmill {[round(r) for r in rates['sawmill']]}, "
        f"CPython {[round(r) for r in rates['cpython']]}; records never written (connections "
        f"the receiver dropped): sawmill {LOST.get('sawmill', 0)}, CPython {LOST.get('cpython', 0)}",
    ]
    text = "\n".join(lines) + "\n"
    os.makedirs(os.path.join(HERE, "results"), exist_ok=True)
    write_keeping_notes(os.path.join(HERE, "results", "net.md"), text)
    print(text)


if __name__ == "__main__":
    main()
