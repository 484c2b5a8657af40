// Workload 4, Node's dgram: size-byte UDP datagrams over loopback. The
// sender sends in bursts of 64 (waiting for the last one's callback, so
// that the queue stays bounded); the receiver counts 'message' events.
import * as dgram from 'node:dgram';
import { END_BYTE, emit, now, num, params, sleep, watchdog } from '../lib/common.js';

const { role, p } = params();
const size = num(p, 'size', 64);
const secs = num(p, 'secs', 2);
watchdog(secs + 60);

if (role === 'server') {
  const s = dgram.createSocket('udp4');
  let received = 0;
  let first = 0;
  let last = 0;
  const start = now();
  const finish = () => {
    clearInterval(idle);
    s.close();
    const t = last - first;
    emit({ received, seconds: t, rate: t > 0 ? received / t : 0 });
  };
  const idle = setInterval(() => {
    const t = now();
    if ((received > 0 && t - Math.max(last, first) > 1) || t - start > 30) finish();
  }, 100);
  s.on('message', (m) => {
    if (m.length > 0 && m[0] === END_BYTE) {
      last = now();
      finish();
      return;
    }
    if (received++ === 0) first = now();
    if ((received & 63) === 0) last = now();
  });
  s.bind(0, '127.0.0.1', () => emit({ ready: true, port: s.address().port }));
} else {
  const count = num(p, 'count');
  const s = dgram.createSocket('udp4');
  // The receiver stops at the first END datagram: the later ones may be refused (ICMP).
  let over = false;
  s.on('error', (err) => {
    if (!over) throw err;
  });
  const msg = Buffer.alloc(size, 'x');
  s.connect(num(p, 'port'), '127.0.0.1', async () => {
    const end = now() + secs;
    let sent = 0;
    while (sent < count && now() < end) {
      const burst = Math.min(64, count - sent);
      await new Promise((resolve, reject) => {
        for (let i = 0; i < burst; i++) {
          s.send(msg, i === burst - 1 ? (err) => (err ? reject(err) : resolve()) : undefined);
        }
      });
      sent += burst;
    }
    over = true;
    for (let i = 0; i < 10; i++) {
      s.send(Buffer.from(`E${sent}`), () => {});
      await sleep(5);
    }
    s.close();
    emit({ sent });
  });
}
