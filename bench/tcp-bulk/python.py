"""Workload 3, CPython's socket module: bytes over TCP loopback in chunk-byte
sendall()s; the receiver recv_into()s one reused bytearray."""
import os
import socket
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), '..', 'lib'))
from common import emit, now, num, params  # noqa: E402

role, p = params()
total, chunk, secs = num(p, 'bytes'), num(p, 'chunk', 65536), num(p, 'secs', 5)

if role == 'server':
    srv = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    srv.bind(('127.0.0.1', 0))
    srv.listen()
    emit({'ready': True, 'port': srv.getsockname()[1]})
    conn, _ = srv.accept()
    data = b'x' * chunk
    end = now() + secs
    sent = 0
    while sent < total and now() < end:
        conn.sendall(data)
        sent += chunk
    conn.close()
    srv.close()
    emit({'sent': sent})
else:
    c = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    c.connect(('127.0.0.1', num(p, 'port')))
    buf = bytearray(chunk)
    t0 = now()
    got = 0
    while True:
        n = c.recv_into(buf)
        if n == 0:
            break
        got += n
    t1 = now()
    c.close()
    emit({'ops': got, 'seconds': t1 - t0, 'rate': got / (t1 - t0)})
