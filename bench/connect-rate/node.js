// Workload 6, Node's net: TCP connect + accept + close cycles over loopback
// (the server destroys each connection; the client waits for 'close').
import * as net from 'node:net';
import { emit, now, num, params, watchdog } from '../lib/common.js';

const { role, p } = params();
watchdog(num(p, 'secs', 3) + 60);

if (role === 'server') {
  const srv = net.createServer((c) => c.destroy());
  srv.listen({ host: '127.0.0.1', port: 0, backlog: 4096 }, () => emit({ ready: true, port: srv.address().port }));
} else {
  const count = num(p, 'count');
  const warmup = num(p, 'warmup');
  const secs = num(p, 'secs');
  const port = num(p, 'port');
  let i = 0;
  let t0 = 0;
  let end = 0;
  const cycle = () => {
    if (i === warmup) {
      t0 = now();
      end = t0 + secs;
    }
    const done = i - warmup;
    if (done >= count || (done > 0 && (done & 63) === 0 && now() > end)) {
      const t1 = now();
      emit({ ops: done, seconds: t1 - t0, rate: done / (t1 - t0) });
      return;
    }
    const c = net.connect({ host: '127.0.0.1', port });
    c.resume();
    c.on('close', () => {
      i++;
      cycle();
    });
  };
  cycle();
}
