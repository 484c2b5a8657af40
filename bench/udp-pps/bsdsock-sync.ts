// Workload 4, bsdsock's Sync API (each end in its own process): size-byte
// UDP datagrams over loopback, one sendSync()/recvSync() per datagram,
// blocking mode (SO_RCVTIMEO ends an idle receiver, as in the C and Python
// programs).
import * as socket from 'bsdsock';
import { END_BYTE, emit, now, num, params, sleepSync } from '../lib/common.js';

const { role, p } = params();
const size = num(p, 'size', 64);

if (role === 'server') {
  const s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM);
  s.bind(['127.0.0.1', 0]);
  const tv = Buffer.alloc(16);
  tv.writeBigInt64LE(1n, 0); // struct timeval { 1 s, 0 us }
  s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVTIMEO, tv);
  emit({ ready: true, port: s.getsockname()[1] });
  let received = 0;
  let first = 0;
  let last = 0;
  const start = now();
  for (;;) {
    let d: Buffer;
    try {
      d = s.recvSync(size);
    } catch (err) {
      if (!(err instanceof socket.BlockingIOError)) throw err; // SO_RCVTIMEO ran out: idle
      if (received > 0 || now() - start > 30) break;
      continue;
    }
    if (d.length > 0 && d[0] === END_BYTE) {
      last = now();
      break;
    }
    if (received++ === 0) first = now();
    if ((received & 63) === 0) last = now();
  }
  s.close();
  const t = last - first;
  emit({ received, seconds: t, rate: t > 0 ? received / t : 0 });
} else {
  const count = num(p, 'count');
  const secs = num(p, 'secs');
  const s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM);
  s.connectSync(['127.0.0.1', num(p, 'port')]);
  const msg = Buffer.alloc(size, 'x');
  const end = now() + secs;
  let sent = 0;
  while (sent < count) {
    s.sendSync(msg);
    if ((++sent & 1023) === 0 && now() > end) break;
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
