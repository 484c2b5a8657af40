// Workload 6, bsdsock's Promise API: TCP connect + accept + close cycles over
// loopback (the client waits for the server's close, then closes).
import * as socket from 'bsdsock';
import { emit, now, num, params, watchdog } from '../lib/common.js';

const { role, p } = params();
watchdog(num(p, 'secs', 3) + 60);

if (role === 'server') {
  const srv = socket.socket(socket.AF_INET, socket.SOCK_STREAM);
  srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1);
  srv.bind(['127.0.0.1', 0]);
  srv.listen(4096);
  emit({ ready: true, port: srv.getsockname()[1] });
  for (;;) {
    const [conn] = await srv.accept();
    conn.close();
  }
} else {
  const count = num(p, 'count');
  const warmup = num(p, 'warmup');
  const secs = num(p, 'secs');
  const addr: [string, number] = ['127.0.0.1', num(p, 'port')];
  const cycle = async (): Promise<void> => {
    const c = socket.socket(socket.AF_INET, socket.SOCK_STREAM);
    await c.connect(addr);
    await c.recv(1);
    c.close();
  };
  for (let i = 0; i < warmup; i++) await cycle();
  const t0 = now();
  const end = t0 + secs;
  let done = 0;
  while (done < count) {
    await cycle();
    done++;
    if ((done & 63) === 0 && now() > end) break;
  }
  const t1 = now();
  emit({ ops: done, seconds: t1 - t0, rate: done / (t1 - t0) });
}
