// Echo client program
//
// The IPv4/IPv6 echo client of Python's socket documentation
// (https://docs.python.org/3/library/socket.html#example), with bsdsock's
// Promise API: each call that can wait returns a Promise and the event loop
// keeps running while it waits, as a Node program expects. It tries each
// address of HOST in turn until one connects.
//
//   npx tsx examples/echo-client-dualstack.ts [HOST [PORT]]
//
// HOST defaults to localhost and PORT to 50007, the port of Python's program.
import { isIP } from 'node:net';
import * as socket from 'bsdsock';
import { repr } from './repr.js';

type AddrInfo = [family: number, type: number, proto: number, canonname: string, sockaddr: socket.Address];

/**
 * A stand-in for `socket.getaddrinfo(host, port, family, type)`, which
 * @bsdsock/inet does not have yet: once it does, delete this function and
 * call `socket.getaddrinfo`. It knows only `localhost` (`::1`, then
 * `127.0.0.1`) and numeric IPv4 and IPv6 addresses.
 */
async function getaddrinfo(
  host: string, port: number, family: number, type: number, proto = 0,
): Promise<AddrInfo[]> {
  let hosts: [number, string][];
  if (host === 'localhost') hosts = [[socket.AF_INET6, '::1'], [socket.AF_INET, '127.0.0.1']];
  else if (isIP(host) === 6) hosts = [[socket.AF_INET6, host]];
  else if (isIP(host) === 4) hosts = [[socket.AF_INET, host]];
  else throw new Error(`this stand-in for getaddrinfo knows only localhost and numeric addresses, not ${host}`);
  return hosts
    .filter(([af]) => family === socket.AF_UNSPEC || af === family)
    .map(([af, addr]): AddrInfo => [
      af, type, proto || socket.IPPROTO_TCP, '', af === socket.AF_INET6 ? [addr, port, 0, 0] : [addr, port],
    ]);
}

const HOST = process.argv[2] ?? 'localhost';    // The remote host
const PORT = Number(process.argv[3] ?? 50007);  // The same port as used by the server
let s: socket.Socket | null = null;
for (const res of await getaddrinfo(HOST, PORT, socket.AF_UNSPEC, socket.SOCK_STREAM)) {
  const [af, socktype, proto, _canonname, sa] = res;
  try {
    s = socket.socket(af, socktype, proto);
  } catch (err) {
    if (!(err instanceof socket.OSError)) throw err;
    s = null;
    continue;
  }
  try {
    await s.connect(sa);
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
let data: Buffer;
try {                                           // with s:
  await s.sendall(Buffer.from('Hello, world'));
  data = await s.recv(1024);
} finally {
  s.close();
}
console.log('Received', repr(data));
