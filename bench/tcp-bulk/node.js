// Workload 3, Node's net: bytes over TCP loopback in chunk-byte write()s
// (waiting for 'drain' when write() says so); the receiver reads into one
// reused buffer through net.connect's `onread` option.
import * as net from 'node:net';
import { emit, now, num, params, watchdog } from '../lib/common.js';

const { role, p } = params();
const total = num(p, 'bytes');
const chunk = num(p, 'chunk', 65536);
const secs = num(p, 'secs', 5);
watchdog(secs + 60);

if (role === 'server') {
  const data = Buffer.alloc(chunk, 'x');
  const srv = net.createServer((c) => {
    const end = now() + secs;
    let sent = 0;
    const pump = () => {
      while (sent < total && now() < end) {
        sent += chunk;
        if (!c.write(data)) {
          c.once('drain', pump);
          return;
        }
      }
      c.end(() => {
        emit({ sent });
        srv.close();
      });
    };
    pump();
  });
  srv.listen({ host: '127.0.0.1', port: 0 }, () => emit({ ready: true, port: srv.address().port }));
} else {
  let got = 0;
  let t0 = 0;
  const c = net.connect({
    host: '127.0.0.1',
    port: num(p, 'port'),
    onread: {
      buffer: Buffer.allocUnsafe(chunk),
      callback: (n) => {
        got += n;
      },
    },
  });
  c.on('connect', () => {
    t0 = now();
  });
  c.on('end', () => {
    const t1 = now();
    c.end();
    emit({ ops: got, seconds: t1 - t0, rate: got / (t1 - t0) });
  });
}
