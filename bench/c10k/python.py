"""Workload 7, CPython's socket module with the selectors module (epoll): an
echo server holding `count` connections on one thread. Writes its RSS before
the first connection and once count * size bytes were echoed."""
import gc
import os
import selectors
import socket
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), '..', 'lib'))
from common import emit, num, params, rss  # noqa: E402

role, p = params()
N, size = num(p, 'count'), num(p, 'size', 64)

srv = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
srv.bind(('127.0.0.1', 0))
srv.listen(4096)
srv.setblocking(False)
sel = selectors.DefaultSelector()
sel.register(srv, selectors.EVENT_READ, None)
gc.collect()
emit({'ready': True, 'port': srv.getsockname()[1], 'rss': rss()})

echoed = 0
closed = 0
while closed < N:
    for key, _ in sel.select():
        if key.data is None:
            while True:
                try:
                    conn, _ = srv.accept()
                except BlockingIOError:
                    break
                conn.setblocking(False)
                sel.register(conn, selectors.EVENT_READ, 1)
            continue
        conn = key.fileobj
        try:
            data = conn.recv(4096)
            if data:
                conn.send(data)
        except (BlockingIOError, InterruptedError):
            continue
        except OSError:
            data = b''
        if data:
            echoed += len(data)
            if echoed == N * size:
                gc.collect()
                emit({'idle': True, 'rss': rss()})
            continue
        sel.unregister(conn)
        conn.close()
        closed += 1
