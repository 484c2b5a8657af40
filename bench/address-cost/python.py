"""Workload 8, CPython's socket module: sendto() with a tuple address from an
unconnected UDP socket to a bound socket nobody reads. Python has no
pre-encoded address, so mode=encoded is not run for it."""
import os
import socket
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), '..', 'lib'))
from common import emit, now, num, params  # noqa: E402

role, p = params()
count, warmup, secs, size = num(p, 'count'), num(p, 'warmup'), num(p, 'secs'), num(p, 'size', 64)
rx = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
rx.bind(('127.0.0.1', 0))
addr = ('127.0.0.1', rx.getsockname()[1])
tx = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
msg = b'x' * size
sendto = tx.sendto
for _ in range(warmup):
    sendto(msg, addr)
t0 = now()
end = t0 + secs
done = 0
while done < count:
    sendto(msg, addr)
    done += 1
    if done & 1023 == 0 and now() > end:
        break
t1 = now()
tx.close()
rx.close()
emit({'ops': done, 'seconds': t1 - t0, 'rate': done / (t1 - t0)})
