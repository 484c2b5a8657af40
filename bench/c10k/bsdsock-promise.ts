// Workload 7, bsdsock's Promise API: an echo server holding `count`
// connections on one event loop, each served by an async recv/sendall loop.
// Writes its memory before the first connection and once count * size bytes
// were echoed, every connection idle in a pending recv (run with --expose-gc).
import * as socket from 'bsdsock';
import { emit, memory, num, params } from '../lib/common.js';

const { p } = params();
const N = num(p, 'count');
const size = num(p, 'size', 64);
let echoed = 0;
let closed = 0;

const srv = socket.socket(socket.AF_INET, socket.SOCK_STREAM);
srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1);
srv.bind(['127.0.0.1', 0]);
srv.listen(4096);
emit({ ready: true, port: srv.getsockname()[1], ...memory() });

async function serve(conn: socket.Socket): Promise<void> {
  try {
    for (;;) {
      const data = await conn.recv(4096);
      if (data.length === 0) break;
      await conn.sendall(data);
      echoed += data.length;
      if (echoed === N * size) setImmediate(() => emit({ idle: true, ...memory() }));
    }
  } catch {
    // a reset: the driver ends every connection with one
  }
  conn.close();
  if (++closed === N) srv.close();
}

for (let accepted = 0; accepted < N; accepted++) {
  const [conn] = await srv.accept();
  void serve(conn);
}
