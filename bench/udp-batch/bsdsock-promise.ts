// Workload 5, bsdsock's Promise API: size-byte UDP datagrams over loopback,
// `vlen` per sendmmsg()/recvmmsg() call. Reports n/a when this build of
// bsdsock has no sendmmsg/recvmmsg (detected at run time).
import * as socket from 'bsdsock';
import { END_BYTE, emit, now, num, params, sleep, watchdog } from '../lib/common.js';

const { role, p } = params();
const size = num(p, 'size', 64);
const vlen = num(p, 'vlen', 64);
const secs = num(p, 'secs', 2);
watchdog(secs + 60);

/** The batch API as the suite calls it (typed here so the program runs against older builds too). */
interface Batched {
  sendmmsg(messages: Iterable<readonly [Buffer, unknown?]>, flags?: number): Promise<number>;
  recvmmsg(vlen: number, bufsize: number, flags?: number): Promise<[Buffer, unknown][]>;
}

const s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM);
const b = s as unknown as Partial<Batched>;
if (typeof b.sendmmsg !== 'function' || typeof b.recvmmsg !== 'function') {
  emit({ ready: true, na: 'unavailable in this build (no sock.sendmmsg/recvmmsg in this build)' });
  s.close();
  process.exit(0);
}
const batched = b as Batched;

if (role === 'server') {
  s.bind(['127.0.0.1', 0]);
  const port = s.getsockname()[1];
  emit({ ready: true, port });
  let received = 0;
  let first = 0;
  let last = 0;
  const start = now();
  const idle = setInterval(() => {
    const t = now();
    if ((received > 0 && t - Math.max(last, first) > 1) || t - start > 30) {
      const k = socket.socket(socket.AF_INET, socket.SOCK_DGRAM);
      k.sendtoSync(Buffer.from('E'), ['127.0.0.1', port]);
      k.close();
    }
  }, 100);
  let done = false;
  while (!done) {
    const msgs = await batched.recvmmsg(vlen, size);
    for (const [d] of msgs) {
      if (d.length > 0 && d[0] === END_BYTE) {
        if (d.length > 1) last = now();
        done = true;
        break;
      }
      if (received++ === 0) first = now();
    }
    if (!done) last = now();
  }
  clearInterval(idle);
  s.close();
  const t = last - first;
  emit({ received, seconds: t, rate: t > 0 ? received / t : 0 });
} else {
  const count = num(p, 'count');
  await s.connect(['127.0.0.1', num(p, 'port')]);
  const msg = Buffer.alloc(size, 'x');
  const batch: [Buffer][] = Array.from({ length: vlen }, () => [msg]);
  const end = now() + secs;
  let sent = 0;
  while (sent < count) {
    sent += await batched.sendmmsg(batch);
    if (now() > end) break;
  }
  // The receiver stops at the first END datagram: the later ones may be refused (ICMP).
  for (let i = 0; i < 10; i++) {
    try {
      await s.send(Buffer.from(`E${sent}`));
    } catch {
      break;
    }
    await sleep(5);
  }
  s.close();
  emit({ sent });
}
