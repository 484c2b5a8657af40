"""Workloads 1 and 2, CPython's socket module: size-byte round trips over TCP
(TCP_NODELAY) or AF_UNIX SOCK_STREAM, blocking sockets."""
import os
import socket
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), '..', 'lib'))
from common import emit, now, num, params  # noqa: E402

role, p = params()
unix = p.get('family') == 'unix'
path = p.get('path', '')
size = num(p, 'size', 64)

if role == 'server':
    if unix:
        srv = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        if os.path.exists(path):
            os.unlink(path)
        srv.bind(path)
        port = 0
    else:
        srv = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        srv.bind(('127.0.0.1', 0))
        port = srv.getsockname()[1]
    srv.listen()
    emit({'ready': True, 'port': port})
    conn, _ = srv.accept()
    if not unix:
        conn.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    while True:
        data = conn.recv(size)
        if not data:
            break
        conn.sendall(data)
    conn.close()
    srv.close()
    if unix:
        os.unlink(path)
else:
    count, warmup, secs = num(p, 'count'), num(p, 'warmup'), num(p, 'secs')
    if unix:
        c = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        c.connect(path)
    else:
        c = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        c.connect(('127.0.0.1', num(p, 'port')))
        c.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    msg = b'x' * size

    def round_trip():
        c.sendall(msg)
        got = len(c.recv(size))
        while got < size:
            n = len(c.recv(size - got))
            if n == 0:
                raise SystemExit('server closed')
            got += n

    for _ in range(warmup):
        round_trip()
    t0 = now()
    end = t0 + secs
    done = 0
    while done < count:
        round_trip()
        done += 1
        if done & 255 == 0 and now() > end:
            break
    t1 = now()
    c.close()
    emit({'ops': done, 'seconds': t1 - t0, 'rate': done / (t1 - t0)})
