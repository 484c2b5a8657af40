// Workloads 1 and 2, Node's net: size-byte round trips over TCP
// (setNoDelay) or a Unix socket; 'data' events and write().
import * as fs from 'node:fs';
import * as net from 'node:net';
import { emit, now, num, params, watchdog } from '../lib/common.js';

const { role, p } = params();
const unix = p.family === 'unix';
const size = num(p, 'size', 64);
watchdog(num(p, 'secs', 3) + 60);

if (role === 'server') {
  if (unix) fs.rmSync(p.path, { force: true });
  const srv = net.createServer((c) => {
    c.setNoDelay(true);
    c.on('data', (d) => c.write(d));
    c.on('end', () => {
      c.end();
      srv.close();
    });
  });
  srv.listen(unix ? { path: p.path } : { host: '127.0.0.1', port: 0 }, () => {
    emit({ ready: true, port: unix ? 0 : srv.address().port });
  });
} else {
  const count = num(p, 'count');
  const warmup = num(p, 'warmup');
  const secs = num(p, 'secs');
  const msg = Buffer.alloc(size, 'x');
  const c = unix ? net.connect({ path: p.path }) : net.connect({ host: '127.0.0.1', port: num(p, 'port') });
  c.setNoDelay(true);
  let i = 0;
  let got = 0;
  let t0 = 0;
  let end = 0;
  const finish = () => {
    const t1 = now();
    const done = i - warmup;
    c.end();
    emit({ ops: done, seconds: t1 - t0, rate: done / (t1 - t0) });
  };
  c.on('connect', () => {
    if (warmup === 0) {
      t0 = now();
      end = t0 + secs;
    }
    c.write(msg);
  });
  c.on('data', (d) => {
    got += d.length;
    if (got < size) return;
    got -= size;
    i++;
    if (i === warmup) {
      t0 = now();
      end = t0 + secs;
    }
    const done = i - warmup;
    if (done >= count || (done > 0 && (done & 255) === 0 && now() > end)) {
      finish();
      return;
    }
    c.write(msg);
  });
}
