// `npm run demo`: runs the four example programs of Python's socket
// documentation, written in TypeScript in this folder, against each other on
// loopback (each program in its own process), then prints which address
// families this machine's kernel supports.
//
// Exits 1 if an echo exchange fails. Every wait is bounded: a pair that has
// not finished after 15 seconds is killed.
import * as socket from 'bsdsock';
import { runPair, type Who } from './run-pair.js';

const PAIRS = [
  {
    title: 'IPv4 echo, Sync API (blocking calls, as in Python)',
    server: 'echo-server.ts',
    client: 'echo-client.ts',
    host: '127.0.0.1',
  },
  {
    title: 'IPv4/IPv6 echo, Promise API',
    server: 'echo-server-dualstack.ts',
    client: 'echo-client-dualstack.ts',
    host: 'localhost',
  },
] as const;

const TYPES = ['SOCK_STREAM', 'SOCK_DGRAM', 'SOCK_SEQPACKET', 'SOCK_RAW'] as const;

async function echoExchanges(): Promise<boolean> {
  let allOk = true;
  for (const pair of PAIRS) {
    console.log(`${pair.title}: examples/${pair.server} + examples/${pair.client} ${pair.host} PORT`);
    const result = await runPair(pair.server, pair.client, {
      host: pair.host,
      timeoutMs: 15_000,
      onLine: (who: Who, line, stream) => console.log(`[${who}${stream === 'stderr' ? ' stderr' : ''}] ${line}`),
    });
    if (result.ok) {
      console.log('ok\n');
      continue;
    }
    allOk = false;
    const exit = (e: { code: number | null; signal: string | null } | null) =>
      e === null ? 'did not finish' : e.signal !== null ? `killed by ${e.signal}` : `exited ${e.code}`;
    const why = result.timedOut
      ? 'timed out after 15 s; both processes killed'
      : result.port === null
        ? `the server never printed "listening on <port>" (server ${exit(result.server)})`
        : `server ${exit(result.server)}, client ${exit(result.client)}`;
    console.log(`FAILED: ${why}\n`);
  }
  return allOk;
}

/** The errno name of what `new Socket(family, type)` throws, or null if it worked. */
function tryOpen(family: number, type: number): string | null {
  try {
    new socket.Socket(family, type).close();
    return null;
  } catch (err) {
    if (err instanceof socket.OSError) return err.code ?? `errno ${err.errno}`;
    return err instanceof Error ? err.name : String(err);
  }
}

function familyTable(): void {
  console.log("Address families this machine's kernel supports");
  console.log(`(new Socket(family, type) with type ${TYPES.join(', ')}; as uid ${process.getuid?.()})`);
  const rows: string[][] = [['family', 'number', 'status', 'types that opened, or the error']];
  const seen = new Set<number>();
  const entries = (Object.entries(socket.AddressFamily) as [string, string | number][])
    .filter((entry): entry is [string, number] => typeof entry[1] === 'number')
    .sort((a, b) => a[1] - b[1]);
  for (const [name, family] of entries) {
    // AF_ROUTE is Linux's alias of AF_NETLINK: one row per number, as Python's enum has.
    if (seen.has(family)) continue;
    seen.add(family);
    const opened: string[] = [];
    const errors = new Map<string, string>();
    for (const type of TYPES) {
      const code = tryOpen(family, socket[type]);
      if (code === null) opened.push(type);
      else errors.set(type, code);
    }
    const codes = [...new Set(errors.values())];
    const privileged = [...errors].filter(([, code]) => code === 'EPERM' || code === 'EACCES');
    let verdict: string;
    let detail: string;
    if (opened.length > 0) {
      verdict = 'supported';
      detail = opened.join(' ');
      if (privileged.length > 0) detail += `  (${privileged.map(([type, code]) => `${type}: ${code}`).join(', ')})`;
    } else if (privileged.length > 0) {
      verdict = 'needs privilege';
      detail = [...new Set(privileged.map(([, code]) => code))].join(' ');
    } else {
      verdict = 'not supported';
      detail = codes.includes('EAFNOSUPPORT') ? 'EAFNOSUPPORT' : codes.join(' ');
    }
    const alias = entries.filter(([other, n]) => n === family && other !== name).map(([other]) => other);
    rows.push([[name, ...alias].join('/'), String(family), verdict, detail]);
  }
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((row) => row[i]!.length)));
  for (const row of rows) {
    console.log(
      row
        .map((cell, i) => (i === 1 ? cell.padStart(widths[i]!) : cell.padEnd(widths[i]!)))
        .join('  ')
        .trimEnd(),
    );
  }
}

console.log("bsdsock demo: the echo examples of Python's socket documentation, in TypeScript\n");
const ok = await echoExchanges();
familyTable();
if (!ok) {
  console.log('\nan echo exchange failed');
  process.exitCode = 1;
}
