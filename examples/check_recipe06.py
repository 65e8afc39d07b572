"""Recipe 6 both ways round, CPython's cookbook receiver as the oracle:

  check_recipe06.py C_CLIENT

The cookbook receiver (examples/python/recipe06_receiver.py, Python 3 form)
is fed once by CPython's recipe-6 client and once by sawmill's C client; the
lines it prints (relativeCreated masked) must be the same five."""
import os
import re
import select
import signal
import socket
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def receive(client):
    port = free_port()
    receiver = subprocess.Popen(
        [sys.executable, "-u", os.path.join(HERE, "python", "recipe06_receiver.py"), str(port)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        if b"About to start" not in receiver.stdout.readline():
            sys.exit("the cookbook receiver did not start")
        subprocess.run(client + [str(port)], check=True, timeout=60)
        # The receiver logs each record as it reads it: wait for five lines.
        deadline = time.time() + 10
        data = b""
        fd = receiver.stderr.fileno()
        while data.count(b"\n") < 5 and time.time() < deadline:
            ready, _, _ = select.select([fd], [], [], 0.1)
            if ready:
                chunk = os.read(fd, 65536)
                if not chunk:
                    break
                data += chunk
        lines = data.decode("utf-8", "replace").splitlines()
        return [re.sub(r"^ *\d+ ", "<REL> ", line) for line in lines]
    finally:
        receiver.send_signal(signal.SIGTERM)
        receiver.wait(timeout=10)


def main():
    want = receive([sys.executable, os.path.join(HERE, "python", "recipe06_client.py")])
    got = receive([sys.argv[1]])
    if len(want) != 5 or got != want:
        sys.exit(f"CPython client gave {want}\nsawmill client gave {got}")
    print("\n".join(got))


if __name__ == "__main__":
    main()
