"""CPython's SysLogHandler bytes for each case, captured over a Unix datagram socket.

stdin: JSON list of cases {facility, ident, append_nul, fmt, name, levelno, levelname, msg, lineno, func}
stdout: JSON list of the received datagrams, hex-encoded.
"""
import json
import logging
import logging.handlers
import os
import socket
import sys
import tempfile

cases = json.load(sys.stdin)
folder = tempfile.mkdtemp()
path = os.path.join(folder, "log")
receiver = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
receiver.bind(path)
out = []
for case in cases:
    handler = logging.handlers.SysLogHandler(address=path, facility=case["facility"])
    handler.ident = case["ident"]
    handler.append_nul = case["append_nul"]
    handler.setFormatter(logging.Formatter(case["fmt"]))
    record = logging.LogRecord(case["name"], case["levelno"], "/src/x.c", case["lineno"],
                               case["msg"], None, None, case["func"])
    record.levelname = case["levelname"]
    handler.emit(record)
    handler.close()
    out.append(receiver.recv(1 << 17).hex())
receiver.close()
os.unlink(path)
os.rmdir(folder)
json.dump(out, sys.stdout)
