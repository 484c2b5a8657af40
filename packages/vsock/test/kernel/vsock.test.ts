/**
 * AF_VSOCK on a real kernel (VSK-02 to VSK-07; VSK-04 through core's
 * getsockopt/setsockopt).
 *
 * Two groups with their own conditions:
 * - sockets, addresses, the u64 buffer-size options and localCid() need
 *   only the vsock module: they run on any kernel that has AF_VSOCK (this
 *   host has it) and in the kernel lab;
 * - streams need the loopback transport (vsock_loopback, CID 1): the kernel
 *   lab has it; elsewhere they run only when /sys/module/vsock_loopback
 *   exists. Without it a connection to CID 1 would go to the hypervisor
 *   through the guest transport, so it is never tried.
 *
 * CPython (Debian's python3, BSDSOCK_KERNEL_LAB_PYTHON in the lab) is the
 * peer: it reads the local CID as CPython's test helper get_cid() does, and
 * connects to a bsdsock server over CID 1.
 */
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { constants as osConstants } from 'node:os';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  ConnectionResetError, FileNotFoundError, OSError, SOCK_STREAM, Socket,
} from '@bsdsock/core';
import {
  AF_VSOCK, SO_VM_SOCKETS_BUFFER_MAX_SIZE, SO_VM_SOCKETS_BUFFER_MIN_SIZE, SO_VM_SOCKETS_BUFFER_SIZE,
  VMADDR_CID_ANY, VMADDR_CID_HOST, VMADDR_CID_LOCAL, VMADDR_PORT_ANY, getVsockOption, localCid, setVsockOption,
} from '@bsdsock/vsock';
import { countOpenFds, IN_KERNEL_LAB, kernelSkipReason, LAB_PYTHON, listOpenFds, thrown } from '@bsdsock/test-utils';


const why = kernelSkipReason('vsock', () => new Socket(AF_VSOCK, SOCK_STREAM).close());
const loopbackWhy = why !== '' || IN_KERNEL_LAB || existsSync('/sys/module/vsock_loopback')
  ? why
  : 'this kernel has no vsock loopback transport (vsock_loopback); run npm run test:kernel';

const pythonWhy = existsSync(LAB_PYTHON) ? '' : `${LAB_PYTHON} is missing`;
/** A bound on every wait: seconds, as the sockets' timeout. */
const WAIT_S = 20;

const title = (text: string, reason: string): string => `${text}${reason ? ` (skipped: ${reason})` : ''}`;

describe('AF_VSOCK', () => {
  let fdsBefore = 0;
  const open: Socket[] = [];
  const vsock = (): Socket<typeof AF_VSOCK> => {
    const s = new Socket(AF_VSOCK, SOCK_STREAM);
    s.settimeout(WAIT_S);
    open.push(s);
    return s;
  };
  /** A listening server on any CID and a port the kernel picks: [server, port]. */
  const listening = (): [Socket<typeof AF_VSOCK>, number] => {
    const server = vsock();
    server.bind([VMADDR_CID_ANY, VMADDR_PORT_ANY]);
    server.listen();
    return [server, server.getsockname()[1]];
  };

  beforeEach(() => {
    fdsBefore = countOpenFds();
  });
  afterEach(() => {
    for (const s of open.splice(0)) s.close();
    expect(countOpenFds(), [...listOpenFds().values()].join(', ')).toBe(fdsBefore);
  });

  describe.skipIf(why !== '')(title('sockets, addresses and options', why), () => {
    it('creates a SOCK_STREAM socket (VSK-02); unbound, getsockname is [VMADDR_CID_ANY, VMADDR_PORT_ANY] (VSK-05)', () => {
      const s = vsock();
      expect([s.family, s.type, s.proto]).toEqual([AF_VSOCK, SOCK_STREAM, 0]);
      expect(s.getsockname()).toEqual([VMADDR_CID_ANY, VMADDR_PORT_ANY]);
    });

    it('binds [VMADDR_CID_ANY, VMADDR_PORT_ANY] to a port the kernel picks, and to that port again after close (VSK-05)', () => {
      const s = vsock();
      s.bind([VMADDR_CID_ANY, VMADDR_PORT_ANY]);
      const [cid, port] = s.getsockname();
      expect(cid).toBe(VMADDR_CID_ANY);
      expect(Number.isInteger(port) && port >= 0 && port < VMADDR_PORT_ANY).toBe(true);
      s.close();
      const again = vsock();
      again.bind([VMADDR_CID_ANY, port]);
      expect(again.getsockname()).toEqual([VMADDR_CID_ANY, port]);
    });

    it('refuses bad addresses with TypeError and RangeError naming the field (VSK-05)', () => {
      const s = vsock();
      expect(() => s.bind('1:1234' as never)).toThrow(/^bind\(\): AF_VSOCK address must be \[cid: number, port: number\], got "1:1234"$/);
      expect(() => s.bind([1] as never)).toThrow(TypeError);
      expect(() => s.bind([-1, 0])).toThrow(RangeError);
      expect(() => s.bind([VMADDR_CID_ANY, 2 ** 32])).toThrow('bind(): AF_VSOCK port must be 0-4294967295, got 4294967296');
      expect(s.getsockname()).toEqual([VMADDR_CID_ANY, VMADDR_PORT_ANY]);
    });

    it('reads the u64 buffer sizes and sets each to double, read back exactly (VSK-03)', () => {
      const s = vsock();
      const names = [SO_VM_SOCKETS_BUFFER_MAX_SIZE, SO_VM_SOCKETS_BUFFER_SIZE, SO_VM_SOCKETS_BUFFER_MIN_SIZE];
      const orig = names.map((n) => getVsockOption(s, n));
      for (const v of orig) expect(typeof v).toBe('bigint');
      const [max, size, min] = orig as [bigint, bigint, bigint];
      expect(min <= size && size <= max).toBe(true);
      // As CPython's testSocketBufferSize: MAX first, so that SIZE may grow.
      setVsockOption(s, SO_VM_SOCKETS_BUFFER_MAX_SIZE, max * 2n);
      setVsockOption(s, SO_VM_SOCKETS_BUFFER_SIZE, Number(size) * 2);
      setVsockOption(s, SO_VM_SOCKETS_BUFFER_MIN_SIZE, min * 2n);
      expect(names.map((n) => getVsockOption(s, n))).toEqual([max * 2n, size * 2n, min * 2n]);
    });

    it('core\'s setsockopt/getsockopt take AF_VSOCK options as unsigned 64-bit integers, as CPython does (VSK-04)', () => {
      const s = vsock();
      const size = s.getsockopt(AF_VSOCK, SO_VM_SOCKETS_BUFFER_SIZE);
      expect(size).toBe(Number(getVsockOption(s, SO_VM_SOCKETS_BUFFER_SIZE)));
      s.setsockopt(AF_VSOCK, SO_VM_SOCKETS_BUFFER_MAX_SIZE, size * 4);
      s.setsockopt(AF_VSOCK, SO_VM_SOCKETS_BUFFER_SIZE, BigInt(size * 3));
      expect(s.getsockopt(AF_VSOCK, SO_VM_SOCKETS_BUFFER_SIZE)).toBe(size * 3);
      // No overflow check: -1 is all ones, read back as a bigint beyond 2**53.
      s.setsockopt(AF_VSOCK, SO_VM_SOCKETS_BUFFER_MAX_SIZE, -1);
      expect(s.getsockopt(AF_VSOCK, SO_VM_SOCKETS_BUFFER_MAX_SIZE)).toBe(2n ** 64n - 1n);
      expect(() => s.setsockopt(AF_VSOCK, SO_VM_SOCKETS_BUFFER_SIZE, Buffer.alloc(8))).toThrow(
        new TypeError('setsockopt() argument 3 must be int, not Buffer'),
      );
      expect(() => s.setsockopt(AF_VSOCK, SO_VM_SOCKETS_BUFFER_SIZE, 1.5)).toThrow(TypeError);
      expect(() => s.setsockopt(AF_VSOCK, SO_VM_SOCKETS_BUFFER_SIZE, null, 8)).toThrow(TypeError);
      const err = thrown(() => s.getsockopt(AF_VSOCK, SO_VM_SOCKETS_BUFFER_SIZE, 8)) as OSError;
      expect(err).toBeInstanceOf(OSError);
      expect([err.errno, err.message]).toEqual([null, 'getsockopt string buffer not allowed']);
    });

    it('the option helpers check their arguments', () => {
      const s = vsock();
      expect(() => setVsockOption(s, SO_VM_SOCKETS_BUFFER_SIZE, -1)).toThrow(RangeError);
      expect(() => setVsockOption(s, SO_VM_SOCKETS_BUFFER_SIZE, 2n ** 64n)).toThrow(RangeError);
      expect(() => setVsockOption(s, SO_VM_SOCKETS_BUFFER_SIZE, 1.5)).toThrow(TypeError);
      expect(() => setVsockOption(s, SO_VM_SOCKETS_BUFFER_SIZE, Buffer.alloc(8) as never)).toThrow(
        'setVsockOption(): value must be an integer (number or bigint), got <Buffer',
      );
      expect(() => getVsockOption(s, '0' as never)).toThrow('getVsockOption(): optname must be an integer, got "0"');
      expect(() => getVsockOption({} as never, 0)).toThrow('getVsockOption(): expects a Socket, got {}');
      const closed = vsock();
      closed.close();
      expect((thrown(() => getVsockOption(closed, SO_VM_SOCKETS_BUFFER_SIZE)) as OSError).errno).toBe(9);
    });

    it.skipIf(pythonWhy !== '')(title('localCid() reads the CID of /dev/vsock as CPython\'s get_cid() does (VSK-07)', pythonWhy), () => {
      const r = spawnSync(LAB_PYTHON, ['-c', `
import fcntl, socket, struct
try:
    with open('/dev/vsock', 'rb') as f:
        r = fcntl.ioctl(f, socket.IOCTL_VM_SOCKETS_GET_LOCAL_CID, '    ')
    print(struct.unpack('I', r)[0])
except FileNotFoundError:
    print('FileNotFoundError')
`], { encoding: 'utf8', timeout: 60_000, killSignal: 'SIGKILL' });
      expect(r.status, r.stderr).toBe(0);
      const py = r.stdout.trim();
      if (py === 'FileNotFoundError') {
        const err = thrown(() => localCid()) as OSError;
        expect(err).toBeInstanceOf(FileNotFoundError);
        expect([err.errno, err.syscall, err.message]).toEqual([2, 'open', "[Errno 2] No such file or directory: '/dev/vsock'"]);
      } else {
        const cid = localCid();
        expect(cid).toBe(Number(py));
        expect(cid >= 0 && cid <= VMADDR_CID_ANY).toBe(true);
        if (IN_KERNEL_LAB) expect([VMADDR_CID_LOCAL, VMADDR_CID_ANY]).toContain(cid);
      }
    }, 90_000);
  });

  describe.skipIf(loopbackWhy !== '')(title('streams over the loopback transport (CID 1)', loopbackWhy), () => {
    /** Where a client talks to this machine, as CPython's testStream picks it. */
    const target = (): number => {
      const cid = localCid();
      return cid === VMADDR_CID_HOST || cid === VMADDR_CID_ANY ? VMADDR_CID_LOCAL : cid;
    };

    it('connects, accepts with the peer address, and streams both ways with the Promise forms (VSK-06)', async () => {
      const [server, port] = listening();
      const client = vsock();
      const [[conn, peer]] = await Promise.all([server.accept(), client.connect([target(), port])]);
      open.push(conn);
      const [, clientPort] = client.getsockname();
      expect(peer).toEqual([VMADDR_CID_LOCAL, clientPort]);
      expect(conn.getsockname()).toEqual([VMADDR_CID_LOCAL, port]);
      expect(conn.getpeername()).toEqual([VMADDR_CID_LOCAL, clientPort]);
      expect(client.getpeername()).toEqual([VMADDR_CID_LOCAL, port]);

      const up = randomBytes(300_000);
      const down = randomBytes(200_000);
      const recvAll = async (s: Socket, n: number): Promise<Buffer> => {
        const parts: Buffer[] = [];
        let got = 0;
        while (got < n) {
          const part = await s.recv(n - got);
          if (part.length === 0) break;
          parts.push(part);
          got += part.length;
        }
        return Buffer.concat(parts);
      };
      const [, , fromClient, fromServer] = await Promise.all([
        client.sendall(up), conn.sendall(down), recvAll(conn, up.length), recvAll(client, down.length),
      ]);
      expect(fromClient.equals(up)).toBe(true);
      expect(fromServer.equals(down)).toBe(true);
      client.shutdown(1);
      expect(await conn.recv(10)).toEqual(Buffer.alloc(0));
    });

    it('does the same with the Sync forms (VSK-06)', () => {
      const [server, port] = listening();
      const client = vsock();
      client.connectSync([target(), port]);
      const [conn, peer] = server.acceptSync();
      open.push(conn);
      expect(peer).toEqual([VMADDR_CID_LOCAL, client.getsockname()[1]]);
      const msg = Buffer.from('Michael Gilfix was here\u1234\r\n');
      client.sendallSync(msg);
      expect(conn.recvSync(1024)).toEqual(msg);
      const reply = randomBytes(50_000);
      conn.sendallSync(reply);
      const parts: Buffer[] = [];
      for (let got = 0; got < reply.length;) {
        const part = client.recvSync(reply.length - got);
        expect(part.length).toBeGreaterThan(0);
        parts.push(part);
        got += part.length;
      }
      expect(Buffer.concat(parts).equals(reply)).toBe(true);
    });

    it('a connection to a port nobody listens on is reset: ConnectionResetError, and ECONNRESET from connectEx', async () => {
      const [server, port] = listening();
      server.close();
      const client = vsock();
      expect(await client.connect([VMADDR_CID_LOCAL, port]).then(() => null, (err: unknown) => err)).toBeInstanceOf(ConnectionResetError);
      const again = vsock();
      expect(again.connectExSync([VMADDR_CID_LOCAL, port])).toBe(osConstants.errno.ECONNRESET);
    });

    it.skipIf(pythonWhy !== '')(title('a CPython client talks to a bsdsock server over CID 1 (VSK-06)', pythonWhy), async () => {
      const [server, port] = listening();
      const script = `
import json, socket, sys
c = socket.socket(socket.AF_VSOCK, socket.SOCK_STREAM)
c.settimeout(${WAIT_S})
c.connect((socket.VMADDR_CID_LOCAL if hasattr(socket, 'VMADDR_CID_LOCAL') else 1, int(sys.argv[1])))
c.sendall(b'hello from CPython')
data = b''
while len(data) < 20:
    part = c.recv(100)
    if not part:
        break
    data += part
print(json.dumps({'name': c.getsockname(), 'peer': c.getpeername(), 'reply': data.decode()}))
`;
      const py = spawn(LAB_PYTHON, ['-c', script, String(port)], { stdio: ['ignore', 'pipe', 'pipe'], timeout: 60_000, killSignal: 'SIGKILL' });
      let stdout = '';
      let stderr = '';
      py.stdout.setEncoding('utf8').on('data', (c: string) => { stdout += c; });
      py.stderr.setEncoding('utf8').on('data', (c: string) => { stderr += c; });
      const exited = new Promise<number | null>((resolve) => py.on('close', resolve));

      const [conn, peer] = await server.accept();
      open.push(conn);
      expect(await conn.recv(100)).toEqual(Buffer.from('hello from CPython'));
      await conn.sendall(Buffer.from('hello from bsdsock!!'));
      expect(await exited, stderr).toBe(0);
      const seen = JSON.parse(stdout) as { name: number[]; peer: number[]; reply: string };
      expect(seen.reply).toBe('hello from bsdsock!!');
      expect(seen.peer).toEqual([VMADDR_CID_LOCAL, port]);
      expect(peer).toEqual([VMADDR_CID_LOCAL, seen.name[1]]);
      expect(conn.getpeername()).toEqual(peer);
    }, 90_000);
  });
});
