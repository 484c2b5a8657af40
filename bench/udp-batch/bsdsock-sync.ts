// Workload 5, bsdsock's Sync API (each end in its own process): size-byte
// UDP datagrams over loopback, `vlen` per sendmmsgSync()/recvmmsgSync()
// call, blocking mode (SO_RCVTIMEO ends an idle receiver). Reports n/a when
// this build of bsdsock has no sendmmsgSync/recvmmsgSync.
import * as socket from 'bsdsock';
import { END_BYTE, emit, now, num, params, sleepSync } from '../lib/common.js';

const { role, p } = params();
const size = num(p, 'size', 64);
const vlen = num(p, 'vlen', 64);

interface BatchedSync {
  sendmmsgSync(messages: Iterable<readonly [Buffer, unknown?]>, flags?: number): number;
  recvmmsgSync(vlen: number, bufsize: number, flags?: number): [Buffer, unknown][];
}

const s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM);
const b = s as unknown as Partial<BatchedSync>;
if (typeof b.sendmmsgSync !== 'function' || typeof b.recvmmsgSync !== 'function') {
  emit({ ready: true, na: 'unavailable in this build (no sock.sendmmsgSync/recvmmsgSync in this build)' });
  s.close();
  process.exit(0);
}
const batched = b as BatchedSync;

if (role === 'server') {
  s.bind(['127.0.0.1', 0]);
  const tv = Buffer.alloc(16);
  tv.writeBigInt64LE(1n, 0); // struct timeval { 1 s, 0 us }
  s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVTIMEO, tv);
  emit({ ready: true, port: s.getsockname()[1] });
  let received = 0;
  let first = 0;
  let last = 0;
  const start = now();
  let done = false;
  while (!done) {
    let msgs: [Buffer, unknown][];
    try {
      msgs = batched.recvmmsgSync(vlen, size);
    } catch (err) {
      if (!(err instanceof socket.BlockingIOError)) throw err; // SO_RCVTIMEO ran out: idle
      if (received > 0 || now() - start > 30) break;
      continue;
    }
    for (const [d] of msgs) {
      if (d.length > 0 && d[0] === END_BYTE) {
        done = true;
        break;
      }
      if (received++ === 0) first = now();
    }
    last = now();
  }
  s.close();
  const t = last - first;
  emit({ received, seconds: t, rate: t > 0 ? received / t : 0 });
} else {
  const count = num(p, 'count');
  const secs = num(p, 'secs');
  s.connectSync(['127.0.0.1', num(p, 'port')]);
  const msg = Buffer.alloc(size, 'x');
  const batch: [Buffer][] = Array.from({ length: vlen }, () => [msg]);
  const end = now() + secs;
  let sent = 0;
  while (sent < count) {
    sent += batched.sendmmsgSync(batch);
    if (now() > end) break;
  }
  // The receiver stops at the first END datagram: the later ones may be refused (ICMP).
  for (let i = 0; i < 10; i++) {
    try {
      s.sendSync(Buffer.from(`E${sent}`));
    } catch {
      break;
    }
    sleepSync(5);
  }
  s.close();
  emit({ sent });
}
