#!/usr/bin/env node
// Proves that a kernel has the socket families of Python's socket module that
// the usual hosts lack: opens a socket of each with this checkout's native
// addon (and does one small real operation where that is cheap), then the same
// with Debian's /usr/bin/python3 and with the python3 on PATH, and prints a
// table. Exits 1 when an expected family fails with node or /usr/bin/python3.
//
//   scripts/kernel-lab/run -- node scripts/kernel-lab/probe-families.mjs
//
// Expected: the families in BSDSOCK_KERNEL_LAB_FAMILIES (the lab sets it for
// its backend), every family when that is unset (on a host: a diagnosis).
// `--json` prints the results as JSON instead of the table.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  closeSync, constants as fsConstants, existsSync, openSync, readSync, statSync, writeSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import { constants as osConstants } from 'node:os';

const require = createRequire(import.meta.url);
const addonPath = new URL('../../packages/core/build/Release/bsdsock.node', import.meta.url).pathname;
if (!existsSync(addonPath)) {
  console.error(`probe-families: the addon is not built (${addonPath}); run npm install or npm run build`);
  process.exit(2);
}
const b = require(addonPath);
b.init(new Int32Array(4));

const C = b.constants;
const num = (name, fallback) => (typeof C[name] === 'number' ? C[name] : fallback);
// Linux values, used only if this machine's headers lacked a constant.
const AF_CAN = num('AF_CAN', 29), AF_TIPC = num('AF_TIPC', 30), AF_BLUETOOTH = num('AF_BLUETOOTH', 31);
const AF_ALG = num('AF_ALG', 38), AF_VSOCK = num('AF_VSOCK', 40), AF_QIPCRTR = num('AF_QIPCRTR', 42);
const AF_RDS = num('AF_RDS', 21);
const SOCK_STREAM = num('SOCK_STREAM', 1), SOCK_DGRAM = num('SOCK_DGRAM', 2), SOCK_RAW = num('SOCK_RAW', 3);
const SOCK_RDM = num('SOCK_RDM', 4), SOCK_SEQPACKET = num('SOCK_SEQPACKET', 5);
const CAN_RAW = num('CAN_RAW', 1), CAN_BCM = num('CAN_BCM', 2), CAN_ISOTP = num('CAN_ISOTP', 6);
const CAN_J1939 = num('CAN_J1939', 7), BTPROTO_HCI = num('BTPROTO_HCI', 1);
const WAIT_MS = 3000;
const IFACE = 'vcan0';

const errnoNames = Object.fromEntries(Object.entries(osConstants.errno).map(([k, v]) => [v, k]));
class ProbeError extends Error {}

/** Throws when a binding call returned -errno; returns its result otherwise. */
function ok(what, r) {
  if (typeof r === 'number' && r < 0) {
    const name = errnoNames[-r] ?? (r === -0x7fff_0000 ? 'timed out' : `errno ${-r}`);
    throw new ProbeError(`${what}: ${name}`);
  }
  return r;
}

/** Runs fn with the fds it opens closed afterwards. */
function withFds(fn) {
  const fds = [];
  const open = (what, family, type, proto) => {
    const fd = ok(what, b.socket(family, type, proto));
    fds.push(fd);
    return fd;
  };
  try {
    return fn(open, (fd) => fds.push(fd));
  } finally {
    for (const fd of fds) b.close(fd);
  }
}

/** One read from a non-blocking fd within `ms`, or null when nothing came. */
function readPacket(fd, ms) {
  const buf = Buffer.alloc(1024);
  const deadline = Date.now() + ms;
  const nap = new Int32Array(new SharedArrayBuffer(4));
  for (;;) {
    try {
      return buf.subarray(0, readSync(fd, buf));
    } catch (e) {
      if (e.code !== 'EAGAIN' || Date.now() >= deadline) {
        if (e.code === 'EAGAIN') return null;
        throw e;
      }
      Atomics.wait(nap, 0, 0, 10);
    }
  }
}

function ifindex(name) {
  const i = b.ifNametoindex(name);
  if (!i) throw new ProbeError(`no interface ${name}`);
  return i;
}

/** struct sockaddr_can (24 bytes): family, ifindex at 4, the protocol's address at 8. */
function sockaddrCan(ifi, fill) {
  const a = Buffer.alloc(24);
  a.writeUInt16LE(AF_CAN, 0);
  a.writeInt32LE(ifi, 4);
  fill?.(a);
  return a;
}

const probes = {
  can() {
    return withFds((open) => {
      const ifi = ifindex(IFACE);
      const tx = open('socket', AF_CAN, SOCK_RAW, CAN_RAW);
      const rx = open('socket', AF_CAN, SOCK_RAW, CAN_RAW);
      ok('bind', b.bind(tx, sockaddrCan(ifi)));
      ok('bind', b.bind(rx, sockaddrCan(ifi)));
      const frame = Buffer.alloc(16); // struct can_frame
      frame.writeUInt32LE(0x123, 0);
      frame[4] = 4;
      frame.write('deadbeef', 8, 'hex');
      ok('send', b.send(tx, frame, 0, 16, 0, WAIT_MS));
      const got = Buffer.alloc(16);
      ok('recv', b.recv(rx, got, 0, 16, 0, WAIT_MS));
      if (!got.equals(frame)) throw new ProbeError(`frame came back as ${got.toString('hex')}`);
      return `frame 0x123 over ${IFACE}`;
    });
  },
  can_bcm() {
    return withFds((open) => {
      const s = open('socket', AF_CAN, SOCK_DGRAM, CAN_BCM);
      ok('connect', b.connect(s, sockaddrCan(ifindex(IFACE)), WAIT_MS));
      return `connect ${IFACE}`;
    });
  },
  can_j1939() {
    return withFds((open) => {
      const s = open('socket', AF_CAN, SOCK_DGRAM, CAN_J1939);
      ok('bind', b.bind(s, sockaddrCan(ifindex(IFACE), (a) => {
        a.writeBigUInt64LE(0n, 8); // J1939_NO_NAME
        a.writeUInt32LE(0x40000, 16); // J1939_NO_PGN
        a[20] = 0x20;
      })));
      return `bind ${IFACE} addr 0x20`;
    });
  },
  can_isotp() {
    return withFds((open) => {
      const s = open('socket', AF_CAN, SOCK_DGRAM, CAN_ISOTP);
      ok('bind', b.bind(s, sockaddrCan(ifindex(IFACE), (a) => {
        a.writeUInt32LE(0x321, 8); // rx_id
        a.writeUInt32LE(0x123, 12); // tx_id
      })));
      return `bind ${IFACE} 0x321/0x123`;
    });
  },
  alg() {
    return withFds((open, own) => {
      const s = open('socket', AF_ALG, SOCK_SEQPACKET, 0);
      const a = Buffer.alloc(88); // struct sockaddr_alg
      a.writeUInt16LE(AF_ALG, 0);
      a.write('hash', 2);
      a.write('sha256', 24);
      ok('bind', b.bind(s, a));
      // AF_ALG's accept fails with ECONNABORTED when given an address buffer
      // (CPython passes NULL for AF_ALG); the addon's accept may not take null.
      let op;
      try {
        op = b.accept(s, null, WAIT_MS);
      } catch {
        return 'bind hash/sha256 (accept: the addon cannot pass a NULL address yet)';
      }
      ok('accept', op);
      own(op);
      ok('send', b.send(op, Buffer.from('abc'), 0, 3, 0, WAIT_MS));
      const d = Buffer.alloc(32);
      ok('recv', b.recv(op, d, 0, 32, 0, WAIT_MS));
      if (!d.equals(createHash('sha256').update('abc').digest())) throw new ProbeError('sha256 differs from node:crypto');
      return 'sha256 = node:crypto';
    });
  },
  tipc() {
    return withFds((open) => {
      const srv = open('socket', AF_TIPC, SOCK_RDM, 0);
      const cli = open('socket', AF_TIPC, SOCK_RDM, 0);
      const seq = Buffer.alloc(16); // struct sockaddr_tipc, TIPC_ADDR_NAMESEQ {18888, 17, 17}
      seq.writeUInt16LE(AF_TIPC, 0);
      seq[2] = 1; // TIPC_ADDR_NAMESEQ
      seq[3] = 2; // TIPC_CLUSTER_SCOPE
      seq.writeUInt32LE(18888, 4);
      seq.writeUInt32LE(17, 8);
      seq.writeUInt32LE(17, 12);
      ok('bind', b.bind(srv, seq));
      const name = Buffer.alloc(16); // TIPC_ADDR_NAME {18888, 17}, domain 0
      name.writeUInt16LE(AF_TIPC, 0);
      name[2] = 2; // TIPC_ADDR_NAME
      name.writeUInt32LE(18888, 4);
      name.writeUInt32LE(17, 8);
      ok('sendto', b.sendto(cli, Buffer.from('tipc'), 0, 4, 0, name, WAIT_MS));
      const got = Buffer.alloc(16);
      const n = ok('recv', b.recv(srv, got, 0, 16, 0, WAIT_MS));
      if (got.subarray(0, n).toString() !== 'tipc') throw new ProbeError('wrong datagram');
      return 'RDM datagram to a service name';
    });
  },
  vsock() {
    return withFds((open, own) => {
      const port = 20000 + (process.pid % 10000);
      const addr = (cid) => {
        const a = Buffer.alloc(16); // struct sockaddr_vm
        a.writeUInt16LE(AF_VSOCK, 0);
        a.writeUInt32LE(port, 4);
        a.writeUInt32LE(cid, 8);
        return a;
      };
      const srv = open('socket', AF_VSOCK, SOCK_STREAM, 0);
      ok('bind', b.bind(srv, addr(0xffffffff))); // VMADDR_CID_ANY
      ok('listen', b.listen(srv, 1));
      const cli = open('socket', AF_VSOCK, SOCK_STREAM, 0);
      ok('connect to CID 1', b.connect(cli, addr(1), WAIT_MS)); // VMADDR_CID_LOCAL
      const conn = ok('accept', b.accept(srv, Buffer.alloc(128), WAIT_MS));
      own(conn);
      ok('send', b.send(cli, Buffer.from('ping'), 0, 4, 0, WAIT_MS));
      const got = Buffer.alloc(4);
      ok('recv', b.recv(conn, got, 0, 4, 0, WAIT_MS));
      if (got.toString() !== 'ping') throw new ProbeError('wrong bytes');
      return 'stream over CID 1 (loopback)';
    });
  },
  rds() {
    return withFds((open) => {
      open('socket', AF_RDS, SOCK_SEQPACKET, 0);
      return 'socket';
    });
  },
  bluetooth() {
    return withFds((open) => {
      const s = open('socket', AF_BLUETOOTH, SOCK_RAW, BTPROTO_HCI);
      if (!existsSync('/dev/vhci') || !statSync('/dev/vhci').isCharacterDevice()) {
        throw new ProbeError('HCI socket ok, but no /dev/vhci');
      }
      // A virtual controller: write HCI_VENDOR_PKT + HCI_PRIMARY to /dev/vhci,
      // the answer is 0xff, the opcode and the new device's index (le16).
      let fd;
      try {
        fd = openSync('/dev/vhci', fsConstants.O_RDWR | fsConstants.O_NONBLOCK);
      } catch (e) {
        throw new ProbeError(`HCI socket ok, but /dev/vhci: ${e.code ?? e.message}`);
      }
      try {
        writeSync(fd, Buffer.from([0xff, 0x00]));
        const created = readPacket(fd, 2000);
        if (!created || created[0] !== 0xff || created.length < 4) throw new ProbeError('/dev/vhci made no controller');
        const index = created.readUInt16LE(2);
        const addr = Buffer.alloc(6); // struct sockaddr_hci: family, dev, channel (HCI_CHANNEL_RAW)
        addr.writeUInt16LE(AF_BLUETOOTH, 0);
        addr.writeUInt16LE(index, 2);
        ok(`bind hci${index}`, b.bind(s, addr));
        // The kernel powers the controller on with HCI_Reset and waits 2 s
        // for an answer when the controller goes away: answer every command
        // with Command Complete, status 0x01, so it gives up at once.
        for (let pkt; (pkt = readPacket(fd, 300));) {
          if (pkt[0] === 0x01 && pkt.length >= 3) writeSync(fd, Buffer.from([0x04, 0x0e, 0x04, 0x01, pkt[1], pkt[2], 0x01]));
        }
        return `hci${index} made through /dev/vhci, HCI socket bound to it`;
      } finally {
        closeSync(fd);
      }
    });
  },
  qipcrtr() {
    return withFds((open) => {
      open('socket', AF_QIPCRTR, SOCK_DGRAM, 0);
      return 'socket';
    });
  },
};

// The same families from Python: socket creation, and the bind/connect that
// needs vcan0 or an algorithm. Prints {family: "ok" | error}.
const PY = String.raw`
import json, socket as s
def can(): x = s.socket(s.AF_CAN, s.SOCK_RAW, s.CAN_RAW); x.bind(('vcan0',)); return x
def can_bcm(): x = s.socket(s.AF_CAN, s.SOCK_DGRAM, s.CAN_BCM); x.connect(('vcan0',)); return x
def can_j1939(): x = s.socket(s.AF_CAN, s.SOCK_DGRAM, s.CAN_J1939); x.bind(('vcan0', s.J1939_NO_NAME, s.J1939_NO_PGN, 0x21)); return x
def can_isotp(): x = s.socket(s.AF_CAN, s.SOCK_DGRAM, s.CAN_ISOTP); x.bind(('vcan0', 0x456, 0x654)); return x
def alg(): x = s.socket(s.AF_ALG, s.SOCK_SEQPACKET, 0); x.bind(('hash', 'sha256')); return x
def tipc(): return s.socket(s.AF_TIPC, s.SOCK_RDM)
def vsock(): return s.socket(s.AF_VSOCK, s.SOCK_STREAM)
def rds(): return s.socket(s.AF_RDS, s.SOCK_SEQPACKET, 0)
def bluetooth(): return s.socket(s.AF_BLUETOOTH, s.SOCK_RAW, s.BTPROTO_HCI)
def qipcrtr(): return s.socket(s.AF_QIPCRTR, s.SOCK_DGRAM, 0)
out = {}
for name in ${JSON.stringify(Object.keys(probes))}:
    try:
        globals()[name]().close(); out[name] = 'ok'
    except AttributeError as e:
        out[name] = 'no constant (' + str(e).split("'")[-2] + ')'
    except OSError as e:
        out[name] = (e.errno and __import__('errno').errorcode.get(e.errno)) or str(e)
print(json.dumps(out))
`;

function python(exe) {
  const env = { ...process.env, PYTHONDONTWRITEBYTECODE: '1' };
  const r = spawnSync(exe, ['-c', `import sys; print(sys.version.split()[0])\n${PY}`], {
    encoding: 'utf8', env, timeout: 60_000,
  });
  if (r.status !== 0 || r.error) {
    return { label: `${exe} (not runnable)`, results: {} };
  }
  const [version, json] = r.stdout.trim().split('\n');
  return { label: `${exe} ${version}`, results: JSON.parse(json) };
}

const families = Object.keys(probes);
const expected = (process.env.BSDSOCK_KERNEL_LAB_FAMILIES ?? families.join(','))
  .split(',').map((f) => f.trim()).filter(Boolean);

const nodeResults = {};
for (const f of families) {
  try {
    nodeResults[f] = { ok: true, detail: probes[f]() };
  } catch (e) {
    if (!(e instanceof ProbeError)) throw e;
    nodeResults[f] = { ok: false, detail: e.message };
  }
}
const debian = python('/usr/bin/python3');
const onPath = python('python3');

let failed = 0;
const rows = families.map((f) => {
  const exp = expected.includes(f);
  const n = nodeResults[f];
  const p = debian.results[f] ?? 'not run';
  const bad = exp && (!n.ok || p !== 'ok');
  if (bad) failed++;
  return {
    family: f,
    expected: exp ? 'yes' : 'no',
    node: `${n.ok ? 'ok' : 'no'}: ${n.detail}`,
    debian: p,
    path: onPath.results[f] ?? 'not run',
    verdict: bad ? 'MISSING' : exp ? 'ok' : n.ok ? 'ok (not expected)' : 'absent (not expected here)',
  };
});

const kernel = (() => {
  try {
    return spawnSync('uname', ['-r'], { encoding: 'utf8' }).stdout.trim();
  } catch {
    return '?';
  }
})();

if (process.argv.includes('--json')) {
  console.log(JSON.stringify({ kernel, backend: process.env.BSDSOCK_KERNEL_LAB_BACKEND ?? null, rows, failed }, null, 2));
} else {
  const head = ['family', 'expected', `node ${process.version}`, debian.label, `PATH ${onPath.label}`, 'verdict'];
  const table = [head, ...rows.map((r) => [r.family, r.expected, r.node, r.debian, r.path, r.verdict])];
  const widths = head.map((_, i) => Math.max(...table.map((row) => row[i].length)));
  const line = (row) => row.map((c, i) => c.padEnd(widths[i])).join('  ').trimEnd();
  const where = process.env.BSDSOCK_KERNEL_LAB ? `kernel lab, ${process.env.BSDSOCK_KERNEL_LAB_BACKEND}` : 'not in the kernel lab';
  console.log(`socket families on Linux ${kernel} (${where}):`);
  console.log(line(table[0]));
  console.log(line(widths.map((w) => '-'.repeat(w))));
  for (const row of table.slice(1)) console.log(line(row));
  console.log(failed ? `${failed} expected famil${failed === 1 ? 'y is' : 'ies are'} missing` : 'every expected family is there');
}
process.exit(failed ? 1 : 0);
