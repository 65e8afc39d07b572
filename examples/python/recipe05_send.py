#!/usr/bin/env python3
# The cookbook's configuration sender (recipe 5) in its Python 3 form: sends
# the file named by the first argument to the config server, preceded by its
# length as 4 big-endian bytes. The port (9999 in the cookbook) may be given
# as the second argument.
import socket, sys, struct

with open(sys.argv[1], 'rb') as f:
    data_to_send = f.read()

HOST = 'localhost'
PORT = int(sys.argv[2]) if len(sys.argv) > 2 else 9999
s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
print('connecting...')
s.connect((HOST, PORT))
print('sending config...')
s.send(struct.pack('>L', len(data_to_send)))
s.send(data_to_send)
s.close()
print('complete')
