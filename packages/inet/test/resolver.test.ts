/**
 * The resolver functions on this machine's C library: CPython's RES-01..
 * RES-34 and ERR-04/ERR-06 (see the conformance checklist), each through
 * the Promise form and the Sync form, and the results compared with
 * python3 at run time.
 *
 * No test here needs outside DNS: hosts are numeric, `localhost`, or names
 * glibc rejects before any query (`0.1.1.~1`); unknown names are tried with
 * AI_NUMERICHOST. (Lookups that only a name server could answer, and the
 * `Unknown host` herror, run in namespace.test.ts with a files-only
 * nsswitch.conf.)
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { OSError, SOCK_DGRAM, SOCK_RAW, SOCK_STREAM, gaierror, herror } from '@bsdsock/core';
import {
  AF_INET, AF_INET6, AI_CANONNAME, AI_NUMERICHOST, AI_NUMERICSERV, AI_PASSIVE, EAI_ADDRFAMILY, EAI_FAMILY,
  EAI_NONAME, EAI_SERVICE, EAI_SOCKTYPE, IPPROTO_TCP, IPPROTO_UDP, NI_NUMERICHOST, NI_NUMERICSERV, SOL_TCP,
  getaddrinfo, getaddrinfoSync, getfqdn, getfqdnSync, gethostbyaddr, gethostbyaddrSync, gethostbyname,
  gethostbynameEx, gethostbynameExSync, gethostbynameSync, getnameinfo, getnameinfoSync, getprotobyname,
  getservbyname, getservbyport,
} from '@bsdsock/inet';
import { hasPython, needsPython, runPythonSync } from '@bsdsock/test-utils';
import { guardFds } from '../../core/test/fixtures/fd-guard.js';

guardFds();

const LO_INDEX = Number(readFileSync('/sys/class/net/lo/ifindex', 'utf8').trim());

const FORMS = ['Promise', 'Sync'] as const;

/** Runs the Promise or the Sync form and gives back its value, or its error. */
async function outcome<T>(fn: () => Promise<T> | T): Promise<{ value?: T; error?: unknown }> {
  try {
    return { value: await fn() };
  } catch (error) {
    return { error };
  }
}

async function expectError(fn: () => Promise<unknown> | unknown, cls: new (...a: never[]) => Error, errno?: number | null): Promise<Error> {
  const r = await outcome(fn);
  expect(r.error, 'expected an error').toBeInstanceOf(cls);
  if (errno !== undefined) expect((r.error as OSError).errno).toBe(errno);
  return r.error as Error;
}

describe.each(FORMS)('%s form', (form) => {
  const sync = form === 'Sync';
  const gai = (...a: Parameters<typeof getaddrinfoSync>): Promise<unknown> | unknown =>
    sync ? getaddrinfoSync(...a) : getaddrinfo(...a);
  const gni = (sa: readonly unknown[], flags: number): Promise<unknown> | unknown =>
    sync ? getnameinfoSync(sa, flags) : getnameinfo(sa, flags);
  const ghbn = (h: unknown): Promise<unknown> | unknown => (sync ? gethostbynameSync(h as string) : gethostbyname(h as string));
  const ghbnEx = (h: unknown): Promise<unknown> | unknown =>
    sync ? gethostbynameExSync(h as string) : gethostbynameEx(h as string);
  const ghba = (h: unknown): Promise<unknown> | unknown => (sync ? gethostbyaddrSync(h as string) : gethostbyaddr(h as string));
  const fqdn = (n?: unknown): Promise<unknown> | unknown => (sync ? getfqdnSync(n as string) : getfqdn(n as string));

  describe('gethostbyname / gethostbyname_ex / gethostbyaddr', () => {
    it.each(['127.0.0.1', '10.0.0.1', '255.255.255.255'])('RES-01: a numeric %s comes back unchanged', async (h) => {
      expect(await ghbn(h)).toBe(h);
    });

    it("RES-02: '127.0.0.1' is in gethostbyaddr('127.0.0.1')'s addresses", async () => {
      const [name, aliases, addrs] = (await ghba('127.0.0.1')) as [string, string[], string[]];
      expect(typeof name).toBe('string');
      expect(Array.isArray(aliases)).toBe(true);
      expect(addrs).toContain('127.0.0.1');
    });

    it.each(['0.1.1.~1', '1+.1.1.1', '::1q', '::1::2', '1:1:1:1:1:1:1:1:1'])('RES-03: %j is an OSError from both', async (h) => {
      await expectError(() => ghbn(h), gaierror, EAI_NONAME);
      await expectError(() => ghba(h), gaierror, EAI_NONAME);
    });

    it("RES-04: '' is 0.0.0.0, '<broadcast>' 255.255.255.255, '::1' gaierror EAI_ADDRFAMILY", async () => {
      expect(await ghbn('')).toBe('0.0.0.0');
      expect(await ghbn('<broadcast>')).toBe('255.255.255.255');
      const e = await expectError(() => ghbn('::1'), gaierror, EAI_ADDRFAMILY);
      expect(e.message).toBe('[Errno -9] Address family for hostname not supported');
    });

    it('RES-04: the lenient forms resolve through getaddrinfo (127.1)', async () => {
      expect(await ghbn('127.1')).toBe('127.0.0.1');
    });

    it('RES-05: takes text and any bytes-like object; the rest is a TypeError', async () => {
      expect(await ghbn(Buffer.from('127.0.0.1'))).toBe('127.0.0.1');
      expect(await ghbn(new Uint8Array(Buffer.from('127.0.0.1')))).toBe('127.0.0.1');
      for (const bad of [null, undefined, 1, ['127.0.0.1'], 'a\0b', Buffer.from('127.0.0.1\0'), '\udcff', 'a'.repeat(70)]) {
        await expectError(() => ghbn(bad), TypeError);
        await expectError(() => ghbnEx(bad), TypeError);
        await expectError(() => ghba(bad), TypeError);
      }
    });

    it("RES-06: gethostbyname_ex('127.0.0.1') and ('localhost')", async () => {
      expect(await ghbnEx('127.0.0.1')).toEqual(['127.0.0.1', [], ['127.0.0.1']]);
      const [name, , addrs] = (await ghbnEx('localhost')) as [string, string[], string[]];
      expect(name).toBe('localhost');
      expect(addrs).toContain('127.0.0.1');
    });

    it("RES-07 / ERR-06: a failed host-database lookup is herror(h_errno, hstrerror) (gethostbyname_ex(''))", async () => {
      const e = (await expectError(() => ghbnEx(''), herror, 3)) as herror;
      expect(e).toBeInstanceOf(OSError);
      expect(e.message).toBe('[Errno 3] Unknown server error');
      expect(e.strerror).toBe('Unknown server error');
      expect(e.args).toEqual([3, 'Unknown server error']);
      expect(e.code).toBe('NO_RECOVERY');
    });

    it("gethostbyname_ex('<broadcast>'): the h_errno gethostbyname_r gives (1), not the thread's stale one", async () => {
      // CPython reads the global h_errno, which glibc leaves untouched for a
      // name it refuses without a lookup: Python 3.13 reports herror 0 in a
      // fresh process, or whatever an earlier call left.
      const e = (await expectError(() => ghbnEx('<broadcast>'), herror, 1)) as herror;
      expect(e.message).toBe('[Errno 1] Unknown host');
      expect(e.code).toBe('HOST_NOT_FOUND');
    });

    it('RES-07: gethostbyaddr of a name that does not resolve is a gaierror', async () => {
      await expectError(() => ghba('0.1.1.~1'), gaierror, EAI_NONAME);
    });

    it("gethostbyaddr(''): the wildcard resolves to two addresses (errno-less OSError)", async () => {
      const e = await expectError(() => ghba(''), OSError, null);
      expect(e.message).toBe('wildcard resolved to multiple address');
    });

    it('gethostbyname_ex checks the name as gethostbyname does first (gaierror for ::1)', async () => {
      await expectError(() => ghbnEx('::1'), gaierror, EAI_ADDRFAMILY);
    });
  });

  describe('getfqdn', () => {
    it('RES-09: strips whitespace; an unknown name comes back unchanged', async () => {
      expect(await fqdn(' 127.0.0.1 ')).toBe(await fqdn('127.0.0.1'));
      expect(await fqdn('0.1.1.~1')).toBe('0.1.1.~1');
      expect(await fqdn('\t0.1.1.~1\n')).toBe('0.1.1.~1');
    });

    it('a name that is not a string is a TypeError (Python: AttributeError)', async () => {
      await expectError(() => fqdn(null), TypeError);
    });
  });

  describe('getaddrinfo', () => {
    it('RES-10 / RES-12: rows of [family, type, proto, canonname, sockaddr] with plain numbers', async () => {
      expect(await gai('127.0.0.1', 80, AF_INET, SOCK_STREAM)).toEqual([[AF_INET, SOCK_STREAM, IPPROTO_TCP, '', ['127.0.0.1', 80]]]);
    });

    it('RES-11: the accepted forms of host, port, proto and flags', async () => {
      for (const host of ['localhost', '127.0.0.1', null, '::1']) {
        for (const port of [80, 'http', null] as const) {
          // (null, null) is EAI_NONAME, in Python too.
          if (host !== null || port !== null) expect(((await gai(host, port)) as unknown[]).length).toBeGreaterThan(0);
        }
      }
      expect(await gai('127.0.0.1', 80, AF_INET, SOCK_STREAM, SOL_TCP)).toHaveLength(1);
      expect(((await gai(null, 80, 0, SOCK_STREAM, 0, AI_PASSIVE)) as unknown[]).length).toBeGreaterThan(0);
    });

    it('RES-13: a numeric host without filters gives the STREAM, DGRAM and RAW rows (glibc)', async () => {
      expect(await gai('127.0.0.1', 80)).toEqual([
        [AF_INET, SOCK_STREAM, IPPROTO_TCP, '', ['127.0.0.1', 80]],
        [AF_INET, SOCK_DGRAM, IPPROTO_UDP, '', ['127.0.0.1', 80]],
        [AF_INET, SOCK_RAW, 0, '', ['127.0.0.1', 80]],
      ]);
    });

    it('RES-15: host null with AI_PASSIVE gives the wildcards, without it the loopbacks', async () => {
      const passive = (await gai(null, 0, 0, SOCK_STREAM, 0, AI_PASSIVE)) as unknown[][];
      expect(passive.map((r) => r[4])).toEqual(expect.arrayContaining([['0.0.0.0', 0], ['::', 0, 0, 0]]));
      const active = (await gai(null, 0, 0, SOCK_STREAM)) as unknown[][];
      expect(active.map((r) => r[4])).toEqual(expect.arrayContaining([['127.0.0.1', 0]]));
    });

    it('RES-16: a port with a lone surrogate is a TypeError (Python: UnicodeEncodeError)', async () => {
      await expectError(() => gai('localhost', '\ud800'), TypeError);
    });

    it('RES-17: a service name with AI_NUMERICSERV is gaierror EAI_NONAME; a null port does not crash', async () => {
      await expectError(() => gai('localhost', 'http', 0, 0, 0, AI_NUMERICSERV), gaierror, EAI_NONAME);
      await outcome(() => gai('localhost', null, 0, 0, 0, AI_NUMERICSERV));
    });

    it('RES-18: an integer port is never range-checked here; glibc decides', async () => {
      for (const port of [2 ** 64, 2 ** 63, -(2 ** 63) - 1, 2 ** 63 - 0xffff + 1, 2n ** 64n, -1]) {
        const r = await outcome(() => gai('127.0.0.1', port, AF_INET, SOCK_STREAM));
        if (r.error !== undefined) expect(r.error).toBeInstanceOf(gaierror);
      }
      await expectError(() => gai('127.0.0.1', -1, AF_INET, SOCK_STREAM), gaierror, EAI_SERVICE);
      expect(await gai('127.0.0.1', 0, AF_INET, SOCK_STREAM)).toEqual([[AF_INET, SOCK_STREAM, 6, '', ['127.0.0.1', 0]]]);
      expect(await gai('127.0.0.1', 0xffff, AF_INET, SOCK_STREAM)).toEqual([[AF_INET, SOCK_STREAM, 6, '', ['127.0.0.1', 0xffff]]]);
      expect(await gai('127.0.0.1', 70000, AF_INET, SOCK_STREAM)).toEqual([[AF_INET, SOCK_STREAM, 6, '', ['127.0.0.1', 4464]]]);
    });

    it("RES-19: a port of another type, a boolean or a fraction included, is OSError('Int or String expected')", async () => {
      for (const port of [true, false, 80.5, NaN, [80], {}, Symbol('x')]) {
        const e = await expectError(() => gai('127.0.0.1', port as never), OSError, null);
        expect(e.message).toBe('Int or String expected');
        expect((e as OSError).args).toEqual(['Int or String expected']);
      }
    });

    it('RES-19: ports as bytes and bigint are accepted', async () => {
      expect(await gai('127.0.0.1', Buffer.from('80'), AF_INET, SOCK_STREAM)).toHaveLength(1);
      expect(await gai(Buffer.from('127.0.0.1'), 80n, AF_INET, SOCK_STREAM)).toHaveLength(1);
    });

    it('RES-20: a host of another type is a TypeError', async () => {
      for (const host of [1, true, ['x'], {}]) await expectError(() => gai(host as never, 80), TypeError);
    });

    it('RES-20: family, type, proto and flags must be integers', async () => {
      await expectError(() => gai('localhost', 80, '2' as never), TypeError);
      await expectError(() => gai('localhost', 80, 2.5), TypeError);
      await expectError(() => gai('localhost', 80, 2 ** 40), RangeError);
      await expectError(() => gai('localhost', 80, 0, 0, 0, '1' as never), TypeError);
    });

    it('RES-21: the C library errors, with their EAI_* numbers', async () => {
      const svc = await expectError(() => gai('localhost', 'nosuchservice-bsdsock'), gaierror, EAI_SERVICE);
      expect(svc.message).toBe('[Errno -8] Servname not supported for ai_socktype');
      await expectError(() => gai('localhost', 80, 12345), gaierror, EAI_FAMILY);
      await expectError(() => gai('localhost', 80, 0, 12345), gaierror, EAI_SOCKTYPE);
      await expectError(() => gai('127.0.0.1', 80, AF_INET6), gaierror, EAI_ADDRFAMILY);
      await expectError(() => gai('nonexistent.invalid', 80, 0, 0, 0, AI_NUMERICHOST), gaierror, EAI_NONAME);
      await expectError(() => gai('localhost', 80, 0, 0, 0, AI_NUMERICHOST), gaierror, EAI_NONAME);
    });

    it("RES-22 / ERR-06: gaierror's errno, args, message, strerror and code", async () => {
      const e = (await expectError(() => gai('localhost', 80, 0, 0, 0, AI_NUMERICHOST), gaierror)) as gaierror;
      expect(e).toBeInstanceOf(OSError);
      expect(e.errno).toBe(-2);
      expect(e.args).toEqual([-2, 'Name or service not known']);
      expect(e.message).toBe('[Errno -2] Name or service not known');
      expect(e.strerror).toBe('Name or service not known');
      expect(e.code).toBe('EAI_NONAME');
      expect(e.syscall).toBe('getaddrinfo');
    });

    it('RES-23: an IPv6 literal comes back in lower case', async () => {
      expect(await gai('ff02::1de:c0:face:8D', 1234, AF_INET6, SOCK_DGRAM, IPPROTO_UDP)).toEqual([
        [AF_INET6, SOCK_DGRAM, IPPROTO_UDP, '', ['ff02::1de:c0:face:8d', 1234, 0, 0]],
      ]);
    });

    it('RES-24: a %scope becomes the scope id (by name and by number)', async () => {
      expect(await gai('ff02::1de:c0:face:8D%lo', 1234, AF_INET6, SOCK_DGRAM, IPPROTO_UDP)).toEqual([
        [AF_INET6, SOCK_DGRAM, IPPROTO_UDP, '', ['ff02::1de:c0:face:8d', 1234, 0, LO_INDEX]],
      ]);
      expect(await gai('ff02::1de:c0:face:8D%42', 1234, AF_INET6, SOCK_DGRAM, IPPROTO_UDP)).toEqual([
        [AF_INET6, SOCK_DGRAM, IPPROTO_UDP, '', ['ff02::1de:c0:face:8d', 1234, 0, 42]],
      ]);
    });

    it('RES-25: AI_CANONNAME fills canonname', async () => {
      const rows = (await gai('localhost', 80, AF_INET, SOCK_STREAM, 0, AI_CANONNAME)) as unknown[][];
      expect(rows[0]![3]).toBe('localhost');
    });

    it('RES-26: a host or port is cut at a NUL, as the C string is', async () => {
      const want = [[AF_INET, SOCK_STREAM, 6, '', ['127.0.0.1', 80]]];
      expect(await gai('127.0.0.1\0junk', 80, AF_INET, SOCK_STREAM)).toEqual(want);
      expect(await gai('127.0.0.1', '80\0x', AF_INET, SOCK_STREAM)).toEqual(want);
      expect(await gai(Buffer.from('127.0.0.1\0junk'), 80, AF_INET, SOCK_STREAM)).toEqual(want);
    });

    it('an empty port is port 0; an empty host is EAI_NONAME', async () => {
      expect(await gai('127.0.0.1', '', AF_INET, SOCK_STREAM)).toEqual([[AF_INET, SOCK_STREAM, 6, '', ['127.0.0.1', 0]]]);
      await expectError(() => gai('', 80), gaierror, EAI_NONAME);
    });
  });

  describe('getnameinfo', () => {
    it('RES-28: only numeric hosts', async () => {
      await expectError(() => gni(['mail.python.org', 0], 0), gaierror, EAI_NONAME);
      await expectError(() => gni(['x', 0, 0, 0], 0), OSError);
    });

    it('RES-29: NI_NUMERICHOST | NI_NUMERICSERV gives numbers, the port as text', async () => {
      expect(await gni(['127.0.0.1', 80], NI_NUMERICHOST | NI_NUMERICSERV)).toEqual(['127.0.0.1', '80']);
      expect(await gni(['::1', 8080, 0, 0], NI_NUMERICHOST | NI_NUMERICSERV)).toEqual(['::1', '8080']);
    });

    it('RES-30: an IPv6 scope id comes back as %ifname', async () => {
      expect(await gni(['ff02::1de:c0:face:8D', 1234, 0, LO_INDEX], NI_NUMERICHOST | NI_NUMERICSERV)).toEqual([
        'ff02::1de:c0:face:8d%lo', '1234',
      ]);
    });

    it('RES-31: argument errors', async () => {
      await expectError(() => gni('127.0.0.1' as never, 0), TypeError);
      await expectError(() => gni(['127.0.0.1'], 0), TypeError);
      await expectError(() => gni(['127.0.0.1', 80, 0, 0, 0], 0), TypeError);
      const v4 = await expectError(() => gni(['127.0.0.1', 80, 0, 0], 0), OSError, null);
      expect(v4.message).toBe('IPv4 sockaddr must be 2 tuple');
      for (const flowinfo of [0x100000, 0xffffffff, -1]) {
        const e = await expectError(() => gni(['::1', 80, flowinfo, 0], 0), RangeError);
        expect(e.message).toContain('getnameinfo(): flowinfo must be 0-1048575.');
      }
      await expectError(() => gni(['127.0.0.1', 80], 'x' as never), TypeError);
      await expectError(() => gni(['127.0.0.1', 80], 1.5), TypeError);
      await expectError(() => gni(['127.0.0.1\0', 80], 0), TypeError);
      await expectError(() => gni([Buffer.from('127.0.0.1'), 80], 0), TypeError);
      await expectError(() => gni(['127.0.0.1', '80'], 0), TypeError);
    });
  });
});

describe('getservbyname / getservbyport / getprotobyname (synchronous)', () => {
  const service = ['daytime', 'qotd', 'domain'].find((s) => {
    try {
      getservbyname(s, 'tcp');
      return true;
    } catch {
      return false;
    }
  });

  it.skipIf(service === undefined)('RES-32: name → port → name, with and without a protocol', () => {
    const port = getservbyname(service!, 'tcp');
    expect(getservbyname(service!)).toBe(port);
    let udp: number | undefined;
    try {
      udp = getservbyname(service!, 'udp');
    } catch {
      udp = undefined;
    }
    if (udp !== undefined) expect(udp).toBe(port);
    expect(getservbyport(port)).toBe(service);
    expect(getservbyport(port, 'tcp')).toBe(service);
    if (udp !== undefined) expect(getservbyport(port, 'udp')).toBe(service);
  });

  it('RES-33: range, unknown names and ports, types', () => {
    for (const port of [-1, 65536]) {
      expect(() => getservbyport(port)).toThrow(new RangeError(`getservbyport: port must be 0-65535., got ${port}`));
    }
    let e: unknown;
    try {
      getservbyname('nosuch-bsdsock');
    } catch (err) {
      e = err;
    }
    expect(e).toBeInstanceOf(OSError);
    expect((e as OSError).errno).toBeNull();
    expect((e as OSError).message).toBe('service/proto not found');
    expect(() => getservbyport(1, 'nosuchproto')).toThrow('port/proto not found');
    expect(() => getservbyport('80' as never)).toThrow(TypeError);
    expect(() => getservbyport(2 ** 40)).toThrow(RangeError);
    expect(() => getservbyname(Buffer.from('http') as never)).toThrow(TypeError);
    expect(() => getservbyname('http', null as never)).toThrow(TypeError);
    expect(() => getservbyname('ht\0tp')).toThrow(TypeError);
  });

  it('RES-34: getprotobyname', () => {
    expect(getprotobyname('tcp')).toBe(6);
    expect(getprotobyname('udp')).toBe(17);
    expect(getprotobyname('icmp')).toBe(1);
    expect(() => getprotobyname('nosuchproto-bsdsock')).toThrow(new OSError('protocol not found').message);
    expect(() => getprotobyname(6 as never)).toThrow(TypeError);
  });
});

describe('the Promise forms never throw', () => {
  it('every bad argument rejects the promise', async () => {
    const calls: (() => Promise<unknown>)[] = [
      () => getaddrinfo(1 as never, 80),
      () => getnameinfo('x' as never, 0),
      () => gethostbyname(null as never),
      () => gethostbynameEx(null as never),
      () => gethostbyaddr(null as never),
      () => getfqdn(null as never),
    ];
    for (const call of calls) {
      let p: Promise<unknown> | undefined;
      expect(() => {
        p = call();
      }).not.toThrow();
      await expect(p).rejects.toBeInstanceOf(TypeError);
    }
  });
});

describe.skipIf(!hasPython())(needsPython('compared with python3 at run time'), () => {
  /** [host, port, family, type, proto, flags] — hosts that need no name server. */
  const QUERIES: readonly (readonly [string | null, number | string | null, number, number, number, number])[] = [
    ['localhost', 80, 0, 0, 0, 0],
    ['127.0.0.1', 80, 0, 0, 0, 0],
    ['::1', 'http', 0, 0, 0, 0],
    [null, 0, 0, SOCK_STREAM, 0, AI_PASSIVE],
    [null, 0, 0, SOCK_STREAM, 0, 0],
    [null, null, 0, 0, 0, 0],
    ['localhost', 'http', 0, 0, 0, AI_NUMERICSERV],
    ['localhost', 80, AF_INET, SOCK_STREAM, 0, AI_CANONNAME],
    ['127.0.0.1', 70000, AF_INET, SOCK_STREAM, 0, 0],
    ['127.0.0.1', -1, 0, 0, 0, 0],
    ['127.0.0.1', 80, AF_INET6, 0, 0, 0],
    ['localhost', 80, 12345, 0, 0, 0],
    ['localhost', 80, 0, 12345, 0, 0],
    ['localhost', 'nosuchservice', 0, 0, 0, 0],
    ['ff02::1de:c0:face:8D%lo', 1234, AF_INET6, SOCK_DGRAM, 17, 0],
    ['127.0.0.1', 80, AF_INET6, SOCK_STREAM, 0, 8 /* AI_V4MAPPED */],
    ['127.0.0.1', 80, AF_INET, SOCK_DGRAM, 136 /* IPPROTO_UDPLITE */, 0],
    ['0.1.1.~1', 80, 0, 0, 0, 0],
    ['', 80, 0, 0, 0, 0],
    ['127.0.0.1', '', 0, 0, 0, 0],
  ];

  it('getaddrinfo gives the same rows and the same error numbers', async () => {
    const r = runPythonSync(`
import socket, json, sys
out = []
for q in json.load(sys.stdin):
    try: out.append([[int(f), int(t), p, c, list(sa)] for f, t, p, c, sa in socket.getaddrinfo(*q)])
    except socket.gaierror as e: out.append(e.errno)
print(json.dumps(out))
`, { input: JSON.stringify(QUERIES) });
    expect(r.code).toBe(0);
    const expected = JSON.parse(r.stdout);
    const actual = await Promise.all(QUERIES.map(async (q) => {
      try {
        return (await getaddrinfo(...q)).map((row) => [...row.slice(0, 4), [...row[4]]]);
      } catch (err) {
        if (err instanceof gaierror) return err.errno;
        throw err;
      }
    }));
    expect(actual).toEqual(expected);
    expect(QUERIES.map((q) => {
      try {
        return getaddrinfoSync(...q).map((row) => [...row.slice(0, 4), [...row[4]]]);
      } catch (err) {
        if (err instanceof gaierror) return err.errno;
        throw err;
      }
    })).toEqual(expected);
  });

  it('the gethostby*, getnameinfo, getfqdn and getservby* results match', async () => {
    const r = runPythonSync(`
import socket, json
def t(f, *a):
    try: return ['ok', f(*a)]
    except OSError as e: return [type(e).__name__, e.errno]
print(json.dumps([
    t(socket.gethostbyname, 'localhost'), t(socket.gethostbyname_ex, 'localhost'),
    t(socket.gethostbyaddr, '127.0.0.1'), t(socket.gethostbyaddr, 'localhost'),
    t(socket.getnameinfo, ('127.0.0.1', 80), 0), t(socket.getnameinfo, ('127.0.0.1', 22), socket.NI_NUMERICSERV),
    t(socket.getfqdn, '127.0.0.1'), t(socket.getfqdn, 'localhost'),
    t(socket.getservbyname, 'http'), t(socket.getservbyport, 443), t(socket.getprotobyname, 'ipv6'),
    t(socket.gethostbyname_ex, '127.1'),
]))
`);
    expect(r.code).toBe(0);
    const t = async (f: () => unknown): Promise<unknown[]> => {
      try {
        return ['ok', await f()];
      } catch (err) {
        if (err instanceof OSError) return [err.constructor.name === 'OSError' ? 'OSError' : err.constructor.name, err.errno];
        throw err;
      }
    };
    const actual = [
      await t(() => gethostbyname('localhost')), await t(() => gethostbynameEx('localhost')),
      await t(() => gethostbyaddr('127.0.0.1')), await t(() => gethostbyaddr('localhost')),
      await t(() => getnameinfo(['127.0.0.1', 80], 0)), await t(() => getnameinfo(['127.0.0.1', 22], NI_NUMERICSERV)),
      await t(() => getfqdn('127.0.0.1')), await t(() => getfqdn('localhost')),
      await t(() => getservbyname('http')), await t(() => getservbyport(443)), await t(() => getprotobyname('ipv6')),
      await t(() => gethostbynameEx('127.1')),
    ];
    expect(actual).toEqual(JSON.parse(r.stdout));
  });
});
