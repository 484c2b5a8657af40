// Helpers shared by the JavaScript and TypeScript programs of the suite.
//
// Every program is run as `<program> <role> key=value ...` and writes JSON
// lines to stdout: a server or receiver first writes `{"ready":true,...}`,
// then whichever side measures writes its result (`rate` and friends).

/** The role (argv[2]) and the key=value parameters after it. */
export function params() {
  const role = process.argv[2] ?? '';
  const p = {};
  for (const a of process.argv.slice(3)) {
    const i = a.indexOf('=');
    if (i > 0) p[a.slice(0, i)] = a.slice(i + 1);
  }
  return { role, p };
}

/** A numeric parameter, or `def` when absent. */
export function num(p, key, def) {
  const v = p[key];
  if (v === undefined || v === '') {
    if (def === undefined) throw new Error(`missing parameter ${key}`);
    return def;
  }
  const n = Number(v);
  if (!Number.isFinite(n)) throw new Error(`parameter ${key} is not a number: ${v}`);
  return n;
}

/** Monotonic seconds (CLOCK_MONOTONIC, comparable with the C and Python programs). */
export function now() {
  return Number(process.hrtime.bigint()) / 1e9;
}

/** Writes one JSON line to stdout (synchronous for pipes on Linux). */
export function emit(obj) {
  process.stdout.write(`${JSON.stringify(obj)}\n`);
}

/** Blocks the thread for `ms` milliseconds (for the Sync programs). */
export function sleepSync(ms) {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/** Resolves after `ms` milliseconds. */
export function sleep(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Memory after a full collection (needs `node --expose-gc`). */
export function memory() {
  if (typeof globalThis.gc === 'function') {
    globalThis.gc();
    globalThis.gc();
  }
  const m = process.memoryUsage();
  return { rss: m.rss, heap: m.heapUsed, external: m.external };
}

/** Ends the process with a message on stderr after `secs` seconds, whatever it is doing. */
export function watchdog(secs) {
  const t = setTimeout(() => {
    process.stderr.write(`watchdog: gave up after ${secs} s\n`);
    process.exit(3);
  }, secs * 1000);
  t.unref();
}

/** The first byte of the datagram that ends a UDP run: 'E', then the count sent in ASCII. */
export const END_BYTE = 0x45;
