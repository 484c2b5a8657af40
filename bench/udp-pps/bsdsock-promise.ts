// Workload 4, bsdsock's Promise API: size-byte UDP datagrams over loopback,
// one send()/recv() per datagram. An idle receiver is ended by a timer that
// sends it an END datagram (a per-call timeout would cost every call).
import * as socket from 'bsdsock';
import { END_BYTE, emit, now, num, params, sleep, watchdog } from '../lib/common.js';

const { role, p } = params();
const size = num(p, 'size', 64);
const secs = num(p, 'secs', 2);
watchdog(secs + 60);

if (role === 'server') {
  const s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM);
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
  for (;;) {
    const d = await s.recv(size);
    if (d.length > 0 && d[0] === END_BYTE) {
      if (d.length > 1) last = now();
      break;
    }
    if (received++ === 0) first = now();
    if ((received & 63) === 0) last = now();
  }
  clearInterval(idle);
  s.close();
  const t = last - first;
  emit({ received, seconds: t, rate: t > 0 ? received / t : 0 });
} else {
  const count = num(p, 'count');
  const s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM);
  await s.connect(['127.0.0.1', num(p, 'port')]);
  const msg = Buffer.alloc(size, 'x');
  const end = now() + secs;
  let sent = 0;
  while (sent < count) {
    await s.send(msg);
    if ((++sent & 1023) === 0 && now() > end) break;
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
