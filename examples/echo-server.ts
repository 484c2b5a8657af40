// Echo server program
//
// The IPv4 echo server of Python's socket documentation
// (https://docs.python.org/3/library/socket.html#example), line for line,
// with bsdsock's Sync API: every call blocks, as Python's does. It serves
// one client and exits.
//
//   npx tsx examples/echo-server.ts [PORT]
//
// PORT defaults to 50007, as in Python's program; 0 lets the kernel pick a
// free port. Unlike Python's program it prints `listening on <port>` once it
// listens, so that whoever starts it knows the port and that it is ready.
import * as socket from 'bsdsock';
import { repr } from './repr.js';

const HOST = '';                                // Symbolic name meaning all available interfaces
const PORT = Number(process.argv[2] ?? 50007);  // Arbitrary non-privileged port
{
  using s = socket.socket(socket.AF_INET, socket.SOCK_STREAM);  // with socket.socket(...) as s:
  s.bind([HOST, PORT]);
  s.listen(1);
  console.log('listening on', s.getsockname()[1]);
  const [conn, addr] = s.acceptSync();
  try {                                         // with conn:
    console.log('Connected by', repr(addr));
    while (true) {
      const data = conn.recvSync(1024);
      if (data.length === 0) break;
      conn.sendallSync(data);
    }
  } finally {
    conn.close();
  }
}
