// Workload 7, Node's net: an echo server holding `count` connections on one
// event loop. Writes its memory before the first connection and once
// count * size bytes were echoed (run with --expose-gc).
import * as net from 'node:net';
import { emit, memory, num, params } from '../lib/common.js';

const { p } = params();
const N = num(p, 'count');
const size = num(p, 'size', 64);
let echoed = 0;
let closed = 0;

const srv = net.createServer((c) => {
  c.on('data', (d) => {
    c.write(d);
    echoed += d.length;
    if (echoed === N * size) setImmediate(() => emit({ idle: true, ...memory() }));
  });
  c.on('error', () => {});
  c.on('close', () => {
    if (++closed === N) srv.close();
  });
});
srv.listen({ host: '127.0.0.1', port: 0, backlog: 4096 }, () => {
  emit({ ready: true, port: srv.address().port, ...memory() });
});
