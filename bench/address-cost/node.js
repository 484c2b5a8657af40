// Workload 8, Node's dgram: send(msg, port, '127.0.0.1') from an unbound
// socket to a bound socket nobody reads, in bursts of 64 (the last one's
// callback awaited). Node has no pre-encoded address: mode=encoded is not
// run for it.
import * as dgram from 'node:dgram';
import { emit, now, num, params, watchdog } from '../lib/common.js';

const { p } = params();
const count = num(p, 'count');
const warmup = num(p, 'warmup');
const secs = num(p, 'secs');
const size = num(p, 'size', 64);
watchdog(secs + 60);

const rx = dgram.createSocket('udp4');
rx.bind(0, '127.0.0.1', async () => {
  const port = rx.address().port;
  const tx = dgram.createSocket('udp4');
  const msg = Buffer.alloc(size, 'x');
  const burst = (n) =>
    new Promise((resolve, reject) => {
      for (let i = 0; i < n; i++) {
        tx.send(msg, port, '127.0.0.1', i === n - 1 ? (err) => (err ? reject(err) : resolve()) : undefined);
      }
    });
  for (let i = 0; i < warmup; i += 64) await burst(64);
  const t0 = now();
  const end = t0 + secs;
  let done = 0;
  while (done < count) {
    const n = Math.min(64, count - done);
    await burst(n);
    done += n;
    if ((done & 1023) === 0 && now() > end) break;
  }
  const t1 = now();
  tx.close();
  rx.close();
  emit({ ops: done, seconds: t1 - t0, rate: done / (t1 - t0) });
});
