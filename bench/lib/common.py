"""Helpers shared by the Python programs of the suite (see lib/common.js)."""
import json
import os
import sys
import time

END_BYTE = 0x45


def params():
    role = sys.argv[1] if len(sys.argv) > 1 else ''
    p = {}
    for a in sys.argv[2:]:
        k, _, v = a.partition('=')
        p[k] = v
    return role, p


def num(p, key, default=None):
    v = p.get(key, '')
    if v == '':
        if default is None:
            raise SystemExit(f'missing parameter {key}')
        return default
    return float(v) if '.' in v or 'e' in v else int(v)


def now():
    return time.monotonic_ns() / 1e9


def emit(obj):
    sys.stdout.write(json.dumps(obj) + '\n')
    sys.stdout.flush()


def rss():
    with open('/proc/self/statm') as f:
        return int(f.read().split()[1]) * os.sysconf('SC_PAGE_SIZE')
