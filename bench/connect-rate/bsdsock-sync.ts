// Workload 6, bsdsock's Sync API (each end in its own process): TCP connect +
// accept + close cycles over loopback (the client waits for the server's
// close, then closes).
import * as socket from 'bsdsock';
import { emit, now, num, params } from '../lib/common.js';

const { role, p } = params();

if (role === 'server') {
  const srv = socket.socket(socket.AF_INET, socket.SOCK_STREAM);
  srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1);
  srv.bind(['127.0.0.1', 0]);
  srv.listen(4096);
  emit({ ready: true, port: srv.getsockname()[1] });
  for (;;) {
    const [conn] = srv.acceptSync();
    conn.close();
  }
} else {
  const count = num(p, 'count');
  const warmup = num(p, 'warmup');
  const secs = num(p, 'secs');
  const addr: [string, number] = ['127.0.0.1', num(p, 'port')];
  const cycle = (): void => {
    const c = socket.socket(socket.AF_INET, socket.SOCK_STREAM);
    c.connectSync(addr);
    c.recvSync(1);
    c.close();
  };
  for (let i = 0; i < warmup; i++) cycle();
  const t0 = now();
  const end = t0 + secs;
  let done = 0;
  while (done < count) {
    cycle();
    done++;
    if ((done & 63) === 0 && now() > end) break;
  }
  const t1 = now();
  emit({ ops: done, seconds: t1 - t0, rate: done / (t1 - t0) });
}
