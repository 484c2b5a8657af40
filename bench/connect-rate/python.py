"""Workload 6, CPython's socket module: TCP connect + accept + close cycles
over loopback (the client waits for the server's close, then closes)."""
import os
import socket
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), '..', 'lib'))
from common import emit, now, num, params  # noqa: E402

role, p = params()

if role == 'server':
    srv = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    srv.bind(('127.0.0.1', 0))
    srv.listen(4096)
    emit({'ready': True, 'port': srv.getsockname()[1]})
    while True:
        conn, _ = srv.accept()
        conn.close()
else:
    count, warmup, secs = num(p, 'count'), num(p, 'warmup'), num(p, 'secs')
    addr = ('127.0.0.1', num(p, 'port'))

    def cycle():
        c = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        c.connect(addr)
        c.recv(1)
        c.close()

    for _ in range(warmup):
        cycle()
    t0 = now()
    end = t0 + secs
    done = 0
    while done < count:
        cycle()
        done += 1
        if done & 63 == 0 and now() > end:
            break
    t1 = now()
    emit({'ops': done, 'seconds': t1 - t0, 'rate': done / (t1 - t0)})
