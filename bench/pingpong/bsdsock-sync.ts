// Workloads 1 and 2, bsdsock's Sync API (each end in its own process: a Sync
// call blocks the thread): size-byte round trips over TCP (TCP_NODELAY) or
// AF_UNIX SOCK_STREAM; recvSync + sendallSync, as Python's code.
import * as fs from 'node:fs';
import * as socket from 'bsdsock';
import { emit, now, num, params } from '../lib/common.js';

const { role, p } = params();
const unix = p.family === 'unix';
const size = num(p, 'size', 64);

function stream(): socket.Socket {
  return socket.socket(unix ? socket.AF_UNIX : socket.AF_INET, socket.SOCK_STREAM);
}

if (role === 'server') {
  const srv = stream();
  if (unix) {
    fs.rmSync(p.path!, { force: true });
    srv.bind(p.path!);
  } else {
    srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1);
    srv.bind(['127.0.0.1', 0]);
  }
  srv.listen();
  emit({ ready: true, port: unix ? 0 : (srv.getsockname() as [string, number])[1] });
  const [conn] = srv.acceptSync();
  if (!unix) conn.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1);
  for (;;) {
    const data = conn.recvSync(size);
    if (data.length === 0) break;
    conn.sendallSync(data);
  }
  conn.close();
  srv.close();
  if (unix) fs.rmSync(p.path!, { force: true });
} else {
  const count = num(p, 'count');
  const warmup = num(p, 'warmup');
  const secs = num(p, 'secs');
  const c = stream();
  c.connectSync(unix ? p.path! : ['127.0.0.1', num(p, 'port')]);
  if (!unix) c.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1);
  const msg = Buffer.alloc(size, 'x');
  const roundTrip = (): void => {
    c.sendallSync(msg);
    let got = c.recvSync(size).length;
    while (got < size) {
      const n = c.recvSync(size - got).length;
      if (n === 0) throw new Error('server closed');
      got += n;
    }
  };
  for (let i = 0; i < warmup; i++) roundTrip();
  const t0 = now();
  const end = t0 + secs;
  let done = 0;
  while (done < count) {
    roundTrip();
    done++;
    if ((done & 255) === 0 && now() > end) break;
  }
  const t1 = now();
  c.close();
  emit({ ops: done, seconds: t1 - t0, rate: done / (t1 - t0) });
}
