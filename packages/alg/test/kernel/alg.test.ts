/**
 * AF_ALG on a real kernel: hashes, HMAC, a block cipher, an AEAD and random
 * number generators through the kernel crypto API, every result checked
 * against node:crypto and against CPython, in both the Promise and the Sync
 * forms (ALG-01 to ALG-11).
 *
 * Runs in the kernel lab (`npm run test:kernel -- packages/alg`), which has
 * AF_ALG and loads the algorithm modules on demand; elsewhere it runs when
 * this kernel has AF_ALG and is skipped with the reason otherwise.
 */
import { spawnSync } from 'node:child_process';
import { createCipheriv, createDecipheriv, createHash, createHmac, randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { constants as osConstants } from 'node:os';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  BlockingIOError, FileNotFoundError, MSG_MORE, OSError, SOCK_SEQPACKET, Socket, TimeoutError,
} from '@bsdsock/core';
import {
  AF_ALG, ALG_OP_DECRYPT, ALG_OP_ENCRYPT, ALG_SET_AEAD_ASSOCLEN, ALG_SET_AEAD_AUTHSIZE, ALG_SET_IV, ALG_SET_KEY,
  ALG_SET_OP, SOL_ALG, sendmsgAfalg, sendmsgAfalgSync,
} from '@bsdsock/alg';
import { countOpenFds, kernelSkipReason, LAB_PYTHON, listOpenFds, rejection, thrown } from '@bsdsock/test-utils';

const why = kernelSkipReason('alg', () => new Socket(AF_ALG, SOCK_SEQPACKET, 0).close());

const pythonWhy = existsSync(LAB_PYTHON) ? '' : `${LAB_PYTHON} is missing`;

const { EOPNOTSUPP } = osConstants.errno;

const hex = (s: string): Buffer => Buffer.from(s, 'hex');
const u32 = (n: number): Buffer => {
  const b = Buffer.alloc(4);
  b.writeUInt32LE(n);
  return b;
};

/** CPython's test_aes_cbc vector (ALG-05). */
const CBC = {
  key: hex('06a9214036b8a15b512e03d534120006'),
  iv: hex('3dafba429d9eb430b422da802c9fac41'),
  msg: Buffer.from('Single block msg'),
  ciphertext: hex('e353779c1079aeb82708942dbe77181a'),
};

function aesCbc(encrypt: boolean, key: Buffer, iv: Buffer, data: Buffer): Buffer {
  const c = encrypt ? createCipheriv('aes-128-cbc', key, iv) : createDecipheriv('aes-128-cbc', key, iv);
  c.setAutoPadding(false);
  return Buffer.concat([c.update(data), c.final()]);
}

/** AES-128-GCM by node:crypto: [ciphertext, tag]. */
function aesGcm(key: Buffer, iv: Buffer, assoc: Buffer, plain: Buffer, taglen: number): [Buffer, Buffer] {
  const c = createCipheriv('aes-128-gcm', key, iv, { authTagLength: taglen });
  c.setAAD(assoc);
  const ct = Buffer.concat([c.update(plain), c.final()]);
  return [ct, c.getAuthTag()];
}

describe.skipIf(why !== '')(`AF_ALG, the kernel crypto API${why ? ` (skipped: ${why})` : ''}`, () => {
  let fdsBefore = 0;
  const open: Socket[] = [];
  const track = <S extends Socket>(s: S): S => {
    open.push(s);
    return s;
  };
  /** A bound algorithm socket, keyed when a key is given. */
  const algorithm = (type: string, name: string, key?: Buffer): Socket<typeof AF_ALG> => {
    const s = track(new Socket(AF_ALG, SOCK_SEQPACKET, 0));
    s.bind([type, name]);
    if (key !== undefined) s.setsockopt(SOL_ALG, ALG_SET_KEY, key);
    return s;
  };
  /** An operation socket of `algo` (Promise accept): the address part is null (ALG-03). */
  const operation = async (algo: Socket<typeof AF_ALG>): Promise<Socket<typeof AF_ALG>> => {
    const [op, address] = await algo.accept();
    expect(address).toBeNull();
    return track(op);
  };
  /** The same through acceptSync. */
  const operationSync = (algo: Socket<typeof AF_ALG>): Socket<typeof AF_ALG> => {
    const [op, address] = algo.acceptSync();
    expect(address).toBeNull();
    return track(op);
  };

  beforeEach(() => {
    fdsBefore = countOpenFds();
  });
  afterEach(() => {
    for (const s of open.splice(0)) s.close();
    expect(countOpenFds(), [...listOpenFds().values()].join(', ')).toBe(fdsBefore);
  });

  it('hashes with sha256: accept() gives [op, null], sendall then recv gives the digest (ALG-01, ALG-03)', async () => {
    const algo = algorithm('hash', 'sha256');
    const op = await operation(algo);
    await op.sendall(Buffer.from('abc'));
    const digest = await op.recv(512);
    expect(digest.toString('hex')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    expect(digest).toEqual(createHash('sha256').update('abc').digest());

    const data = randomBytes(100_000);
    const op2 = await operation(algo);
    await op2.sendall(data);
    expect(await op2.recv(32)).toEqual(createHash('sha256').update(data).digest());
  });

  it('hashes data sent in pieces with MSG_MORE, Sync form (ALG-02)', () => {
    const algo = algorithm('hash', 'sha256');
    const op = operationSync(algo);
    for (const piece of ['a', 'b', 'c']) expect(op.sendSync(Buffer.from(piece), MSG_MORE)).toBe(1);
    expect(op.sendSync(Buffer.alloc(0))).toBe(0);
    expect(op.recvSync(512)).toEqual(createHash('sha256').update('abc').digest());
    // The same operation socket hashes the next message afresh.
    op.sendallSync(Buffer.from('what do ya want for nothing?'));
    expect(op.recvSync(512)).toEqual(createHash('sha256').update('what do ya want for nothing?').digest());
  });

  it('computes HMACs keyed with setsockopt(SOL_ALG, ALG_SET_KEY, key) (ALG-04)', async () => {
    const sha1 = algorithm('hash', 'hmac(sha1)', Buffer.from('Python loves AF_ALG'));
    const op1 = operationSync(sha1);
    op1.sendallSync(Buffer.from('what do ya want for nothing?'));
    const mac1 = op1.recvSync(512);
    expect(mac1.toString('hex')).toBe('193dbb43c6297b47ea6277ec0ce67119a3f3aa66');
    expect(mac1).toEqual(createHmac('sha1', 'Python loves AF_ALG').update('what do ya want for nothing?').digest());

    const key = randomBytes(32);
    const data = randomBytes(5000);
    const sha256 = algorithm('hash', 'hmac(sha256)', key);
    const op2 = await operation(sha256);
    await op2.sendall(data);
    expect(await op2.recv(64)).toEqual(createHmac('sha256', key).update(data).digest());
  });

  it('encrypts and decrypts cbc(aes) with sendmsgAfalg and its IV, both forms (ALG-05)', async () => {
    const algo = algorithm('skcipher', 'cbc(aes)', CBC.key);

    const enc = await operation(algo);
    expect(await enc.sendmsgAfalg({ op: ALG_OP_ENCRYPT, iv: CBC.iv, flags: MSG_MORE })).toBe(0);
    await enc.sendall(CBC.msg);
    const ct = await enc.recv(CBC.msg.length);
    expect(ct).toEqual(CBC.ciphertext);
    expect(ct).toEqual(aesCbc(true, CBC.key, CBC.iv, CBC.msg));

    const dec = operationSync(algo);
    expect(dec.sendmsgAfalgSync([ct], { op: ALG_OP_DECRYPT, iv: CBC.iv })).toBe(16);
    expect(dec.recvSync(CBC.msg.length)).toEqual(CBC.msg);
  });

  it('round-trips a long cbc(aes) message of 1024 buffers, Promise then Sync (ALG-05)', async () => {
    const key = randomBytes(16);
    const iv = randomBytes(16);
    const parts = Array.from({ length: 1024 }, () => randomBytes(16));
    const whole = Buffer.concat(parts);
    const algo = algorithm('skcipher', 'cbc(aes)', key);

    const enc = await operation(algo);
    expect(await enc.sendmsgAfalg(parts, { op: ALG_OP_ENCRYPT, iv })).toBe(whole.length);
    const ct = await enc.recv(whole.length);
    // Compared as text: vitest's deep equality walks a Buffer byte by byte, slowly under qemu.
    expect(ct.toString('hex')).toBe(aesCbc(true, key, iv, whole).toString('hex'));

    const dec = operationSync(algo);
    expect(sendmsgAfalgSync(dec, [ct], { op: ALG_OP_DECRYPT, iv })).toBe(whole.length);
    expect(dec.recvSync(whole.length).toString('hex')).toBe(whole.toString('hex'));
  });

  describe('gcm(aes), an AEAD (ALG-06)', () => {
    const TAGLEN = 16;
    const key = randomBytes(16);
    const iv = randomBytes(12);
    const assoc = randomBytes(20);
    const plain = randomBytes(45);
    const [expectedCt, expectedTag] = aesGcm(key, iv, assoc, plain, TAGLEN);
    const aead = (): Socket<typeof AF_ALG> => {
      const algo = algorithm('aead', 'gcm(aes)', key);
      algo.setsockopt(SOL_ALG, ALG_SET_AEAD_AUTHSIZE, null, TAGLEN);
      return algo;
    };
    /** What encryption reads back: the associated data, the ciphertext and the tag. */
    const sealed = Buffer.concat([assoc, expectedCt, expectedTag]);

    it('encrypts in one message with assoclen (Promise), and with MSG_MORE then sendall (Sync)', async () => {
      const algo = aead();
      const op = await operation(algo);
      expect(await op.sendmsgAfalg([assoc, plain], { op: ALG_OP_ENCRYPT, iv, assoclen: assoc.length })).toBe(assoc.length + plain.length);
      expect(await op.recv(sealed.length)).toEqual(sealed);

      const op2 = operationSync(algo);
      expect(op2.sendmsgAfalgSync({ op: ALG_OP_ENCRYPT, iv, assoclen: assoc.length, flags: MSG_MORE })).toBe(0);
      op2.sendallSync(Buffer.concat([assoc, plain]));
      expect(op2.recvSync(sealed.length)).toEqual(sealed);
    });

    it('takes the same ancillary data built by hand through plain sendmsg', async () => {
      const op = await operation(aead());
      const ancdata: [number, number, Buffer][] = [
        [SOL_ALG, ALG_SET_OP, u32(ALG_OP_ENCRYPT)],
        [SOL_ALG, ALG_SET_IV, Buffer.concat([u32(iv.length), iv])],
        [SOL_ALG, ALG_SET_AEAD_ASSOCLEN, u32(assoc.length)],
      ];
      expect(await op.sendmsg([assoc, plain], ancdata)).toBe(assoc.length + plain.length);
      expect(await op.recv(sealed.length)).toEqual(sealed);
    });

    it('decrypts and verifies (Sync), and refuses a forged tag with EBADMSG (Promise)', async () => {
      const algo = aead();
      const op = operationSync(algo);
      expect(sendmsgAfalgSync(op, [sealed], { op: ALG_OP_DECRYPT, iv, assoclen: assoc.length })).toBe(sealed.length);
      expect(op.recvSync(sealed.length - TAGLEN)).toEqual(Buffer.concat([assoc, plain]));

      const forged = Buffer.from(sealed);
      forged[forged.length - 1]! ^= 1;
      const op2 = await operation(algo);
      await sendmsgAfalg(op2, [forged], { op: ALG_OP_DECRYPT, iv, assoclen: assoc.length });
      const err = (await rejection(op2.recv(forged.length - TAGLEN))) as OSError;
      expect(err).toBeInstanceOf(OSError);
      expect(err.code).toBe('EBADMSG');
    });
  });

  it('draws random bytes from stdrng and drbg_pr_sha256 seeded through ALG_SET_KEY: the asked length, never twice the same (ALG-07)', async () => {
    const std = algorithm('rng', 'stdrng', randomBytes(32));
    const op = await operation(std);
    const a = await op.recv(32);
    const b = await op.recv(32);
    expect([a.length, b.length]).toEqual([32, 32]);
    expect(a).not.toEqual(b);
    const op2 = operationSync(std);
    const c = op2.recvSync(64);
    expect(c.length).toBe(64);
    expect(c.subarray(0, 32)).not.toEqual(a);

    // CPython's test_drbg_pr_sha256 uses the Hash_DRBG with prediction
    // resistance; a kernel built with the HMAC_DRBG only (the UML lab's)
    // has its twin, drbg_pr_hmac_sha256, instead.
    const drbg = track(new Socket(AF_ALG, SOCK_SEQPACKET, 0));
    try {
      drbg.bind(['rng', 'drbg_pr_sha256']);
    } catch (err) {
      if (!(err instanceof FileNotFoundError)) throw err;
      drbg.bind(['rng', 'drbg_pr_hmac_sha256']);
    }
    drbg.setsockopt(SOL_ALG, ALG_SET_KEY, randomBytes(32));
    const op3 = operationSync(drbg);
    const d = op3.recvSync(32);
    expect(d.length).toBe(32);
    expect(op3.recvSync(32)).not.toEqual(d);
  });

  it('sendmsgAfalg checks its arguments on an AF_ALG socket as CPython does (ALG-08)', async () => {
    const op = await operation(algorithm('skcipher', 'cbc(aes)', CBC.key));
    const cases: [unknown[], string][] = [
      [[], "Invalid or missing argument 'op'"],
      [[{ op: null }], 'op must be an integer, got null'],
      [[1], 'msg must be an iterable of bytes-like objects, got 1'],
      [[[], { op: ALG_OP_ENCRYPT, assoclen: null }], 'assoclen must be an integer, got null'],
      [[[], { op: ALG_OP_ENCRYPT, assoclen: -1 }], 'assoclen must be positive, got -1'],
    ];
    for (const [args, message] of cases) {
      const sync = thrown(() => (op.sendmsgAfalgSync as (...a: unknown[]) => number)(...args));
      expect([sync.constructor, sync.message]).toEqual([TypeError, `sendmsg_afalg(): ${message}`]);
      const async = await rejection((op.sendmsgAfalg as (...a: unknown[]) => Promise<number>)(...args));
      expect([async.constructor, async.message]).toEqual([TypeError, `sendmsg_afalg(): ${message}`]);
    }
    // Nothing reached the socket: the first real message still encrypts from scratch.
    op.sendmsgAfalgSync([CBC.msg], { op: ALG_OP_ENCRYPT, iv: CBC.iv });
    expect(op.recvSync(16)).toEqual(CBC.ciphertext);
  });

  it('binds names of 13 and 63 bytes (unknown: FileNotFoundError) and refuses longer ones (ALG-10)', () => {
    const s = track(new Socket(AF_ALG, SOCK_SEQPACKET, 0));
    expect(() => s.bind(['x'.repeat(13), 'sha256'])).toThrow(FileNotFoundError);
    expect(() => s.bind(['x'.repeat(14), 'sha256'])).toThrow(/^bind\(\): AF_ALG type too long/);
    expect(() => s.bind(['hash', 'x'.repeat(63)])).toThrow(FileNotFoundError);
    expect(() => s.bind(['hash', 'x'.repeat(64)])).toThrow(/^bind\(\): AF_ALG name too long/);
    const err = thrown(() => s.bind(['hash', 'x'.repeat(64)]));
    expect(err).toBeInstanceOf(TypeError);
  });

  it('raises FileNotFoundError for an unknown type or algorithm and TypeError for an address that is not a tuple (ALG-11)', () => {
    const s = track(new Socket(AF_ALG, SOCK_SEQPACKET, 0));
    const unknownType = thrown(() => s.bind(['nosuchtype', 'sha256'])) as OSError;
    expect([unknownType.constructor, unknownType.errno, unknownType.syscall]).toEqual([FileNotFoundError, 2, 'bind']);
    expect(() => s.bind(['hash', 'nosuchalgorithm'])).toThrow(FileNotFoundError);
    expect(() => s.bind('hash' as never)).toThrow(TypeError);
    expect(() => s.bind('hash' as never)).toThrow(/^bind\(\): AF_ALG address must be \[type: string, name: string/);
    // feat/mask: the kernel takes only CRYPTO_ALG_KERN_DRIVER_ONLY (0x1000) there.
    expect((thrown(() => s.bind(['hash', 'sha256', 1, 0])) as OSError).code).toBe('EINVAL');
    s.bind(['hash', 'sha256', 0, 0]);
    // Bound again while an operation socket exists: EBUSY.
    track(s.acceptSync()[0]);
    expect((thrown(() => s.bind(['hash', 'sha256'])) as OSError).code).toBe('EBUSY');
  });

  it('reports no address: getsockname/getpeername raise EOPNOTSUPP, recvfrom gives a null sender (ALG-03)', async () => {
    const algo = algorithm('hash', 'sha256');
    expect((thrown(() => algo.getsockname()) as OSError).errno).toBe(EOPNOTSUPP);
    const op = await operation(algo);
    expect((thrown(() => op.getsockname()) as OSError).errno).toBe(EOPNOTSUPP);
    expect((thrown(() => op.getpeername()) as OSError).errno).toBe(EOPNOTSUPP);
    await op.sendall(Buffer.from('abc'));
    const [digest, sender] = await op.recvfrom(64);
    expect(sender).toBeNull();
    expect(digest).toEqual(createHash('sha256').update('abc').digest());
  });

  it('waits for input: BlockingIOError in non-blocking mode, a Promise TimeoutError, an abort, then the data', async () => {
    const op = await operation(algorithm('skcipher', 'cbc(aes)', CBC.key));
    op.setblocking(false);
    expect(() => op.recvSync(16)).toThrow(BlockingIOError);
    // An operation socket polls readable before any input while recv says
    // EAGAIN: the Promise form keeps retrying until its timeout runs out.
    op.settimeout(0.05);
    expect(await rejection(op.recv(16))).toBeInstanceOf(TimeoutError);
    // The Sync form too: out of time is a timeout even though the fd polls
    // ready (it once spun here forever).
    expect(() => op.recvSync(16)).toThrow(TimeoutError);
    op.settimeout(null);
    const ac = new AbortController();
    const pending = op.recv(16, 0, { signal: ac.signal });
    ac.abort(new Error('enough'));
    expect((await rejection(pending)).message).toBe('enough');
    const late = op.recv(16);
    await op.sendmsgAfalg([CBC.msg], { op: ALG_OP_ENCRYPT, iv: CBC.iv });
    expect(await late).toEqual(CBC.ciphertext);
  });

  it.skipIf(pythonWhy !== '')(`agrees with CPython's socket module on the same operations${pythonWhy ? ` (skipped: ${pythonWhy})` : ''}`, async () => {
    const key = randomBytes(16);
    const iv = randomBytes(12);
    const assoc = randomBytes(8);
    const plain = randomBytes(40);
    const script = `
import json, socket, sys
key, iv, assoc, plain = (bytes.fromhex(a) for a in sys.argv[1:5])
out = {}
algo = socket.socket(socket.AF_ALG, socket.SOCK_SEQPACKET, 0)
try:
    algo.getsockname()
except OSError as e:
    out['getsockname'] = e.errno
algo.bind(('aead', 'gcm(aes)'))
algo.setsockopt(socket.SOL_ALG, socket.ALG_SET_KEY, key)
algo.setsockopt(socket.SOL_ALG, socket.ALG_SET_AEAD_AUTHSIZE, None, 16)
op, addr = algo.accept()
out['accept'] = addr
op.sendmsg_afalg([assoc, plain], op=socket.ALG_OP_ENCRYPT, iv=iv, assoclen=len(assoc))
out['sealed'] = op.recv(len(assoc) + len(plain) + 16).hex()
for name in ('x' * 13, 'x' * 14):
    try:
        socket.socket(socket.AF_ALG, socket.SOCK_SEQPACKET).bind((name, 'sha256'))
    except (OSError, ValueError) as e:
        out[str(len(name))] = type(e).__name__
print(json.dumps(out))
`;
    const args = [key, iv, assoc, plain].map((b) => b.toString('hex'));
    const r = spawnSync(LAB_PYTHON, ['-c', script, ...args], { encoding: 'utf8', timeout: 60_000, killSignal: 'SIGKILL' });
    expect(r.status, r.stderr).toBe(0);
    const py = JSON.parse(r.stdout) as Record<string, unknown>;

    const algo = algorithm('aead', 'gcm(aes)', key);
    const ours: Record<string, unknown> = { getsockname: (thrown(() => algo.getsockname()) as OSError).errno };
    algo.setsockopt(SOL_ALG, ALG_SET_AEAD_AUTHSIZE, null, 16);
    const [op, addr] = algo.acceptSync();
    track(op);
    ours.accept = addr;
    await op.sendmsgAfalg([assoc, plain], { op: ALG_OP_ENCRYPT, iv, assoclen: assoc.length });
    ours.sealed = (await op.recv(assoc.length + plain.length + 16)).toString('hex');
    const s = track(new Socket(AF_ALG, SOCK_SEQPACKET, 0));
    ours['13'] = thrown(() => s.bind(['x'.repeat(13), 'sha256'])).constructor.name;
    // CPython's ValueError for a name too long is a TypeError here (see algAddressSchema).
    ours['14'] = thrown(() => s.bind(['x'.repeat(14), 'sha256'])) instanceof TypeError ? 'ValueError' : 'other';
    expect(ours).toEqual(py);
    expect(ours.sealed).toBe(Buffer.concat([assoc, ...aesGcm(key, iv, assoc, plain, 16)]).toString('hex'));
  }, 90_000);
});
