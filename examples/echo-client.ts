// Echo client program
//
// The IPv4 echo client of Python's socket documentation
// (https://docs.python.org/3/library/socket.html#example), line for line,
// with bsdsock's Sync API: every call blocks, as Python's does.
//
//   npx tsx examples/echo-client.ts [HOST [PORT]]
//
// HOST defaults to localhost and PORT to 50007, the port of Python's program.
import * as socket from 'bsdsock';
import { repr } from './repr.js';

const HOST = process.argv[2] ?? 'localhost';    // The remote host
const PORT = Number(process.argv[3] ?? 50007);  // The same port as used by the server
let data: Buffer;
{
  using s = socket.socket(socket.AF_INET, socket.SOCK_STREAM);  // with socket.socket(...) as s:
  s.connectSync([HOST, PORT]);
  s.sendallSync(Buffer.from('Hello, world'));
  data = s.recvSync(1024);
}
console.log('Received', repr(data));
