// Workload 8, bsdsock's Sync API: sendtoSync() from an unconnected UDP socket
// to a bound socket nobody reads; mode=tuple passes ['127.0.0.1', port]
// (validated and encoded on every call), mode=encoded a pre-encoded address
// (socket.EncodedAddress.of; n/a when this build has none).
import * as socket from 'bsdsock';
import { emit, now, num, params } from '../lib/common.js';

const { p } = params();
const count = num(p, 'count');
const warmup = num(p, 'warmup');
const secs = num(p, 'secs');
const size = num(p, 'size', 64);

const rx = socket.socket(socket.AF_INET, socket.SOCK_DGRAM);
rx.bind(['127.0.0.1', 0]);
const tx = socket.socket(socket.AF_INET, socket.SOCK_DGRAM);
let addr: unknown = ['127.0.0.1', rx.getsockname()[1]];
if (p.mode === 'encoded') {
  // The namespace's own export, or the CommonJS module's when the package's ES
  // module wrapper was generated before the class existed (a partial rebuild).
  const ns = socket as unknown as { EncodedAddress?: unknown; default?: { EncodedAddress?: unknown } };
  const Encoded = (ns.EncodedAddress ?? ns.default?.EncodedAddress) as
    | { of?: (sock: socket.Socket, address: unknown) => unknown }
    | undefined;
  if (typeof Encoded?.of !== 'function') {
    emit({ na: 'unavailable in this build (no socket.EncodedAddress.of in this build)' });
    process.exit(0);
  }
  addr = Encoded.of(tx, addr);
}
const dest = addr as socket.Address;
const msg = Buffer.alloc(size, 'x');
for (let i = 0; i < warmup; i++) tx.sendtoSync(msg, dest);
const t0 = now();
const end = t0 + secs;
let done = 0;
while (done < count) {
  tx.sendtoSync(msg, dest);
  if ((++done & 1023) === 0 && now() > end) break;
}
const t1 = now();
tx.close();
rx.close();
emit({ ops: done, seconds: t1 - t0, rate: done / (t1 - t0) });
