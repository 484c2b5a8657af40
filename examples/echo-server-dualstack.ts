// Echo server program
//
// The IPv4/IPv6 echo server of Python's socket documentation
// (https://docs.python.org/3/library/socket.html#example), with bsdsock's
// Promise API: each call that can wait returns a Promise and the event loop
// keeps running while it waits, as a Node program expects. It listens on the
// first address family that works and serves one client.
//
//   npx tsx examples/echo-server-dualstack.ts [PORT]
//
// PORT defaults to 50007, as in Python's program; 0 lets the kernel pick a
// free port. Unlike Python's program it prints `listening on <port>` once it
// listens, so that whoever starts it knows the port and that it is ready.
import * as socket from 'bsdsock';
import { repr } from './repr.js';

type AddrInfo = [family: number, type: number, proto: number, canonname: string, sockaddr: socket.Address];

/**
 * A stand-in for `socket.getaddrinfo(host, port, family, type, proto, flags)`,
 * which @bsdsock/inet does not have yet: once it does, delete this function
 * and call `socket.getaddrinfo`. It answers only what this program asks,
 * `(None, PORT, AF_UNSPEC, SOCK_STREAM, 0, AI_PASSIVE)`: the wildcard
 * address of each family, IPv6 first (an AF_INET6 socket bound to `::`
 * accepts IPv4 clients too, unless IPV6_V6ONLY is set).
 */
async function getaddrinfo(
  host: null, port: number, family: number, type: number, proto: number, flags: number,
): Promise<AddrInfo[]> {
  if (host !== null || (flags & socket.AI_PASSIVE) === 0) {
    throw new Error('this stand-in for getaddrinfo only answers (None, PORT, ..., AI_PASSIVE)');
  }
  const results: AddrInfo[] = [
    [socket.AF_INET6, type, proto || socket.IPPROTO_TCP, '', ['::', port, 0, 0]],
    [socket.AF_INET, type, proto || socket.IPPROTO_TCP, '', ['0.0.0.0', port]],
  ];
  return results.filter(([af]) => family === socket.AF_UNSPEC || af === family);
}

const HOST = null;                              // Symbolic name meaning all available interfaces
const PORT = Number(process.argv[2] ?? 50007);  // Arbitrary non-privileged port
let s: socket.Socket | null = null;
for (const res of await getaddrinfo(HOST, PORT, socket.AF_UNSPEC,
                                    socket.SOCK_STREAM, 0, socket.AI_PASSIVE)) {
  const [af, socktype, proto, _canonname, sa] = res;
  try {
    s = socket.socket(af, socktype, proto);
  } catch (err) {
    if (!(err instanceof socket.OSError)) throw err;
    s = null;
    continue;
  }
  try {
    s.bind(sa);
    s.listen(1);
  } catch (err) {
    if (!(err instanceof socket.OSError)) throw err;
    s.close();
    s = null;
    continue;
  }
  break;
}
if (s === null) {
  console.log('could not open socket');
  process.exit(1);
}
console.log('listening on', (s.getsockname() as readonly [string, number])[1]);
const [conn, addr] = await s.accept();
try {                                           // with conn:
  console.log('Connected by', repr(addr));
  while (true) {
    const data = await conn.recv(1024);
    if (data.length === 0) break;
    await conn.send(data);
  }
} finally {
  conn.close();
}
