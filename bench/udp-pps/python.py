"""Workload 4, CPython's socket module: size-byte UDP datagrams over loopback,
one send()/recv() per datagram, blocking sockets (SO_RCVTIMEO ends an idle
receiver)."""
import os
import socket
import struct
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(__file__), '..', 'lib'))
from common import END_BYTE, emit, now, num, params  # noqa: E402

role, p = params()
size = num(p, 'size', 64)

if role == 'server':
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind(('127.0.0.1', 0))
    s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVTIMEO, struct.pack('ll', 1, 0))
    emit({'ready': True, 'port': s.getsockname()[1]})
    received = 0
    start = now()
    first = last = 0.0
    while True:
        try:
            d = s.recv(size)
        except BlockingIOError:  # SO_RCVTIMEO ran out: idle
            if received > 0 or now() - start > 30:
                break
            continue
        if d and d[0] == END_BYTE:
            last = now()
            break
        if received == 0:
            first = now()
        received += 1
        if received & 63 == 0:
            last = now()
    secs = last - first
    emit({'received': received, 'seconds': secs, 'rate': received / secs if secs > 0 else 0})
else:
    count, secs = num(p, 'count'), num(p, 'secs')
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.connect(('127.0.0.1', num(p, 'port')))
    msg = b'x' * size
    end = now() + secs
    sent = 0
    send = s.send
    while sent < count:
        send(msg)
        sent += 1
        if sent & 1023 == 0 and now() > end:
            break
    for _ in range(10):  # the receiver stops at the first one it gets: the rest may be refused
        try:
            s.send(b'E%d' % sent)
        except OSError:
            break
        time.sleep(0.005)
    emit({'sent': sent})
