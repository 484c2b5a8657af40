// Workload 3, bsdsock's Promise API: bytes over TCP loopback in chunk-byte
// sendall()s; the receiver recvInto()s one reused Buffer.
import * as socket from 'bsdsock';
import { emit, now, num, params, watchdog } from '../lib/common.js';

const { role, p } = params();
const total = num(p, 'bytes');
const chunk = num(p, 'chunk', 65536);
const secs = num(p, 'secs', 5);
watchdog(secs + 60);

if (role === 'server') {
  const srv = socket.socket(socket.AF_INET, socket.SOCK_STREAM);
  srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1);
  srv.bind(['127.0.0.1', 0]);
  srv.listen();
  emit({ ready: true, port: srv.getsockname()[1] });
  const [conn] = await srv.accept();
  const data = Buffer.alloc(chunk, 'x');
  const end = now() + secs;
  let sent = 0;
  while (sent < total && now() < end) {
    await conn.sendall(data);
    sent += chunk;
  }
  conn.close();
  srv.close();
  emit({ sent });
} else {
  const c = socket.socket(socket.AF_INET, socket.SOCK_STREAM);
  await c.connect(['127.0.0.1', num(p, 'port')]);
  const buf = Buffer.allocUnsafe(chunk);
  const t0 = now();
  let got = 0;
  for (;;) {
    const n = await c.recvInto(buf);
    if (n === 0) break;
    got += n;
  }
  const t1 = now();
  c.close();
  emit({ ops: got, seconds: t1 - t0, rate: got / (t1 - t0) });
}
