/**
 * The resolver functions of Python's socket module: getaddrinfo,
 * getnameinfo, gethostbyname, gethostbyname_ex, gethostbyaddr, getfqdn,
 * getprotobyname, getservbyname and getservbyport, with CPython 3.13's
 * argument rules, results and errors (Modules/socketmodule.c, Lib/socket.py).
 *
 * The functions that can wait have a Promise form (the C library call runs
 * on libuv's thread pool) and a `Sync` twin that calls the C library on the
 * calling thread, as Python does.
 *
 * @packageDocumentation
 */
import { constants as osConstants } from 'node:os';
import {
  AF_UNSPEC, OSError, SOCK_DGRAM, gaierror, getFamily, gethostname, herror,
} from '@bsdsock/core';
import { binding, fromErrno, layout, type NativeBinding, type RawAddrinfo } from '@bsdsock/core/internal';
import { intArg, isWellFormed, strArg, typeName, uintMaskArg } from './args.js';
import { bytesOf, isBytesLike } from './bytes.js';
import { AF_INET, AF_INET6, AI_NUMERICHOST, AI_PASSIVE } from './constants.generated.js';
import { runAsync, runSync, type NativeCall, type Steps } from './dual.js';
import { formatIPv4, formatIPv6, parseIPv4, parseIPv6 } from './ip-text.js';
import { show } from './messages.js';
import { idnaEncode } from './resolve.js';
import type { Inet6AddressResult, InetAddressResult } from './schema.js';

type RawHostent = Exclude<ReturnType<NativeBinding['gethostbyaddr']>, number>;

const SIN_ADDR = layout('sockaddr_in.sin_addr');
const SIN6_FLOWINFO = layout('sockaddr_in6.sin6_flowinfo');
const SIN6_ADDR = layout('sockaddr_in6.sin6_addr');
const SIN6_SCOPE_ID = layout('sockaddr_in6.sin6_scope_id');
const EAFNOSUPPORT = osConstants.errno.EAFNOSUPPORT;
const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** The address a resolver row carries: `[host, port]` or `[host, port, flowinfo, scope_id]`. */
export type InetSockaddr = InetAddressResult | Inet6AddressResult;

/**
 * One result of {@link getaddrinfo}: what `new Socket(family, type, proto)`
 * and `connect(sockaddr)` need. `canonname` is `''` unless AI_CANONNAME was
 * asked for (and then only in the first row).
 */
export type AddrInfo = readonly [family: number, type: number, proto: number, canonname: string, sockaddr: InetSockaddr];

/** `[hostname, aliaslist, ipaddrlist]`, as gethostbyname_ex and gethostbyaddr return it. */
export type HostEntry = [hostname: string, aliases: string[], addresses: string[]];

/** A host as the resolver functions take it: text, or the bytes the C library gets. */
export type HostArg = string | ArrayBufferView | ArrayBuffer;

/** A port as getaddrinfo takes it: a number, a service name or number as text or bytes, or `null`. */
export type PortArg = number | bigint | string | ArrayBufferView | ArrayBuffer | null;

// ---------------------------------------------------------------------------
// Errors

const H_ERRNO_NAMES: Record<number, string> = {
  [-1]: 'NETDB_INTERNAL',
  1: 'HOST_NOT_FOUND',
  2: 'TRY_AGAIN',
  3: 'NO_RECOVERY',
  4: 'NO_DATA',
};

/**
 * The error of a failed getaddrinfo/getnameinfo: `gaierror` with the EAI_*
 * number, or, for EAI_SYSTEM, the OSError of the errno (as CPython's
 * `set_gaierror`).
 */
function gaiError(code: number, syscall: string): OSError {
  if (code <= -0x10000) return fromErrno(-code - 0x10000, syscall);
  return new gaierror(code, undefined, syscall);
}

/** `herror(h_errno, hstrerror(h_errno))`, as CPython's `set_herror`; `code` names the h_errno. */
function hostError(hErrno: number, syscall: string): herror {
  const err = new herror(hErrno, binding.hstrerror(hErrno), syscall);
  err.code = H_ERRNO_NAMES[hErrno];
  return err;
}

// ---------------------------------------------------------------------------
// Native calls

type GaiResult = RawAddrinfo[] | number;
type NameArg = Buffer | string | null;

function gaiCall(host: NameArg, service: NameArg, family: number, type: number, proto: number, flags: number): NativeCall<GaiResult> {
  return {
    sync: () => binding.getaddrinfo(host, service, family, type, proto, flags),
    async: (done) => binding.getaddrinfoAsync(host, service, family, type, proto, flags, done),
  };
}

function gniCall(addr: Buffer, flags: number): NativeCall<[string, string] | number> {
  return {
    sync: () => binding.getnameinfo(addr, flags),
    async: (done) => binding.getnameinfoAsync(addr, flags, done),
  };
}

function hostByNameCall(name: Buffer): NativeCall<RawHostent | number> {
  return {
    sync: () => binding.gethostbynameEx(name),
    async: (done) => binding.gethostbynameExAsync(name, done),
  };
}

function hostByAddrCall(addr: Buffer, af: number): NativeCall<RawHostent | number> {
  return {
    sync: () => binding.gethostbyaddr(addr, af),
    async: (done) => binding.gethostbyaddrAsync(addr, af, done),
  };
}

// ---------------------------------------------------------------------------
// Arguments

/**
 * Python's `str.encode('idna')` of a host name: `''` stays empty; otherwise
 * every label must be 1-63 characters (a trailing dot allowed) and a
 * non-ASCII label becomes its `xn--` form.
 */
function idnaHost(text: string, what: string): string {
  if (!isWellFormed(text)) throw new TypeError(`${what} must not contain a lone surrogate, got ${show(text)}`);
  if (text === '') return '';
  const ascii = idnaEncode(text);
  if (ascii === null) {
    throw new TypeError(`${what} cannot be IDNA-encoded (a label is empty, longer than 63, or invalid): ${show(text)}`);
  }
  return ascii;
}

/**
 * A host for gethostbyname, gethostbyname_ex and gethostbyaddr (CPython's
 * `et` format with the idna codec): text is IDNA-encoded, bytes are taken
 * as they are; the result must hold no NUL.
 */
function hostnameArg(host: unknown, fn: string): Buffer {
  let bytes: Buffer;
  if (typeof host === 'string') {
    bytes = Buffer.from(idnaHost(host, `${fn}() argument 1`), 'latin1');
  } else if (isBytesLike(host)) {
    bytes = Buffer.from(bytesOf(host));
  } else {
    throw new TypeError(`${fn}() argument 1 must be a string or bytes-like object, not ${typeName(host)}`);
  }
  if (bytes.includes(0)) throw new TypeError(`${fn}() argument 1 must be encoded string without null bytes`);
  return bytes;
}

/** The C string a C function sees: the bytes up to the first NUL (CPython's quirk RES-26). */
function cString(bytes: Buffer): Buffer {
  const nul = bytes.indexOf(0);
  return nul < 0 ? bytes : bytes.subarray(0, nul);
}

/** getaddrinfo's host: text (IDNA-encoded), bytes, or `null`. */
function gaiHostArg(host: unknown): Buffer | null {
  if (host === null || host === undefined) return null;
  if (typeof host === 'string') return cString(Buffer.from(idnaHost(host, 'getaddrinfo() argument 1'), 'latin1'));
  if (isBytesLike(host)) return cString(Buffer.from(bytesOf(host)));
  throw new TypeError(`getaddrinfo() argument 1 must be a string, bytes or null, not ${typeName(host)}`);
}

/**
 * getaddrinfo's port as CPython 3.13 takes it: an integer (never
 * range-checked: the C library decides), text (UTF-8), bytes or `null`;
 * anything else, a boolean included, is `OSError('Int or String expected')`.
 */
function gaiPortArg(port: unknown): Buffer | null {
  if (port === null || port === undefined) return null;
  if (typeof port === 'number') {
    if (!Number.isInteger(port)) throw new OSError('Int or String expected');
    return Buffer.from(BigInt(port).toString(), 'latin1');
  }
  if (typeof port === 'bigint') return Buffer.from(port.toString(), 'latin1');
  if (typeof port === 'string') {
    if (!isWellFormed(port)) throw new TypeError(`getaddrinfo() port must not contain a lone surrogate, got ${show(port)}`);
    return cString(Buffer.from(port, 'utf8'));
  }
  if (isBytesLike(port)) return cString(Buffer.from(bytesOf(port)));
  throw new OSError('Int or String expected');
}

// ---------------------------------------------------------------------------
// Addresses

interface IpAddress {
  readonly family: number;
  /** The in_addr (4 bytes) or in6_addr (16 bytes). */
  readonly bytes: Buffer;
}

function addressOf(family: number, sockaddr: Buffer): IpAddress {
  if (family === AF_INET) return { family, bytes: Buffer.from(sockaddr.subarray(SIN_ADDR, SIN_ADDR + 4)) };
  return { family, bytes: Buffer.from(sockaddr.subarray(SIN6_ADDR, SIN6_ADDR + 16)) };
}

function formatAddress(family: number, bytes: Buffer): string {
  return family === AF_INET6 ? formatIPv6(bytes) : formatIPv4(bytes);
}

/**
 * CPython's `setipaddr()`: a host to one address of family `af` (or of
 * either family for AF_UNSPEC). `''` is the wildcard getaddrinfo(3) gives
 * for a passive lookup, `'<broadcast>'` INADDR_BROADCAST, a numeric address
 * is parsed without a lookup, anything else goes to getaddrinfo(3), whose
 * first answer is taken.
 */
function* setipaddr(name: Buffer, af: number): Steps<IpAddress> {
  const text = name.toString('latin1');
  if (text === '') {
    const r: GaiResult = yield gaiCall(null, '0', af, SOCK_DGRAM, 0, AI_PASSIVE);
    if (typeof r === 'number') throw gaiError(r, 'getaddrinfo');
    const first = r[0];
    if (first === undefined || (first[0] !== AF_INET && first[0] !== AF_INET6)) {
      throw new OSError('unsupported address family');
    }
    if (r.length > 1) throw new OSError('wildcard resolved to multiple address');
    return addressOf(first[0], first[4]);
  }
  if (text === '<broadcast>') {
    if (af !== AF_INET && af !== AF_UNSPEC) throw new OSError('address family mismatched');
    return { family: AF_INET, bytes: Buffer.from([0xff, 0xff, 0xff, 0xff]) };
  }
  if (af === AF_UNSPEC || af === AF_INET) {
    const v = parseIPv4(text);
    if (v >= 0) {
      const bytes = Buffer.allocUnsafe(4);
      bytes.writeUInt32BE(v, 0);
      return { family: AF_INET, bytes };
    }
  }
  if ((af === AF_UNSPEC || af === AF_INET6) && !text.includes('%')) {
    const bytes = Buffer.alloc(16);
    if (parseIPv6(text, bytes, 0)) return { family: AF_INET6, bytes };
  }
  const r: GaiResult = yield gaiCall(name, null, af, 0, 0, 0);
  if (typeof r === 'number') throw gaiError(r, 'getaddrinfo');
  const first = r[0];
  if (first === undefined || (first[0] !== AF_INET && first[0] !== AF_INET6)) {
    throw new OSError('unknown address family');
  }
  return addressOf(first[0], first[4]);
}

/** A sockaddr from the C library as the tuple Python returns, through the family registry. */
function decodeSockaddr(family: number, type: number, proto: number, sockaddr: Buffer): InetSockaddr {
  const plugin = getFamily(family);
  if (plugin === undefined) return [family, Buffer.from(sockaddr)] as unknown as InetSockaddr;
  return plugin.decode(sockaddr, sockaddr.length, { family, type, proto, caller: 'getaddrinfo' }) as InetSockaddr;
}

// ---------------------------------------------------------------------------
// getaddrinfo

function* getaddrinfoSteps(
  host: unknown, port: unknown, family: unknown, type: unknown, proto: unknown, flags: unknown,
): Steps<AddrInfo[]> {
  const h = gaiHostArg(host);
  const p = gaiPortArg(port);
  const fam = intArg(family, 'getaddrinfo(): family');
  const typ = intArg(type, 'getaddrinfo(): type');
  const pro = intArg(proto, 'getaddrinfo(): proto');
  const flg = intArg(flags, 'getaddrinfo(): flags');
  const r: GaiResult = yield gaiCall(h, p, fam, typ, pro, flg);
  if (typeof r === 'number') throw gaiError(r, 'getaddrinfo');
  return r.map(([f, t, pr, canon, sa]): AddrInfo => [f, t, pr, canon, decodeSockaddr(f, t, pr, sa)]);
}

/**
 * Translates a host and port into the addresses to create and connect
 * sockets with (getaddrinfo(3)), without blocking the event loop: a list of
 * `[family, type, proto, canonname, sockaddr]`.
 *
 * `host` is a name (IDNA-encoded when not ASCII), a numeric address, bytes,
 * or `null` (the loopback addresses, or the wildcard ones with AI_PASSIVE).
 * `port` is a number (not range-checked: the C library decides), a service
 * name or number as text or bytes, or `null`. `family`, `type`, `proto`
 * narrow the results; `flags` are `AI_*` bits.
 *
 * The promise rejects with `gaierror` (`errno` the EAI_* number, e.g.
 * EAI_NONAME) when the lookup fails, with the errno's OSError for
 * EAI_SYSTEM, with `OSError('Int or String expected')` for a port of another
 * type (a boolean or a fraction included, as in Python 3.13), and with
 * TypeError for a bad host or a non-integer family/type/proto/flags.
 *
 * @see https://man7.org/linux/man-pages/man3/getaddrinfo.3.html
 * @see https://docs.python.org/3/library/socket.html#socket.getaddrinfo
 * @example
 * ```ts
 * await getaddrinfo('127.0.0.1', 80, AF_INET, SOCK_STREAM);
 * // [[2, 1, 6, '', ['127.0.0.1', 80]]]
 * ```
 */
export function getaddrinfo(
  host: HostArg | null, port: PortArg, family = 0, type = 0, proto = 0, flags = 0,
): Promise<AddrInfo[]> {
  return runAsync(getaddrinfoSteps(host, port, family, type, proto, flags));
}

/**
 * {@link getaddrinfo} on the calling thread, blocking it for the lookup as
 * Python's `socket.getaddrinfo` does.
 *
 * @see https://man7.org/linux/man-pages/man3/getaddrinfo.3.html
 * @see https://docs.python.org/3/library/socket.html#socket.getaddrinfo
 * @example
 * ```ts
 * getaddrinfoSync(null, 0, AF_UNSPEC, SOCK_STREAM, 0, AI_PASSIVE);
 * // [[2, 1, 6, '', ['0.0.0.0', 0]], [10, 1, 6, '', ['::', 0, 0, 0]]]
 * ```
 */
export function getaddrinfoSync(
  host: HostArg | null, port: PortArg, family = 0, type = 0, proto = 0, flags = 0,
): AddrInfo[] {
  return runSync(getaddrinfoSteps(host, port, family, type, proto, flags));
}

// ---------------------------------------------------------------------------
// getnameinfo

function* getnameinfoSteps(sockaddr: unknown, flags: unknown): Steps<[string, string]> {
  const flg = intArg(flags, 'getnameinfo(): flags');
  if (!Array.isArray(sockaddr)) {
    throw new TypeError(`getnameinfo() argument 1 must be an array (Python's tuple), not ${typeName(sockaddr)}`);
  }
  if (sockaddr.length < 2 || sockaddr.length > 4) {
    throw new TypeError(`getnameinfo(): illegal sockaddr argument, got ${show(sockaddr)}`);
  }
  const host = strArg(sockaddr[0], 'getnameinfo(): host');
  const port = intArg(sockaddr[1], 'getnameinfo(): port');
  const flowinfo = sockaddr.length > 2 ? uintMaskArg(sockaddr[2], 'getnameinfo(): flowinfo') : 0;
  const scopeId = sockaddr.length > 3 ? uintMaskArg(sockaddr[3], 'getnameinfo(): scope_id') : 0;
  if (flowinfo > 0xfffff) throw new RangeError(`getnameinfo(): flowinfo must be 0-1048575., got ${flowinfo}`);
  // As CPython: the numeric host and port through getaddrinfo(AI_NUMERICHOST),
  // which never looks anything up (so it runs on this thread either way).
  const r = binding.getaddrinfo(host, String(port), AF_UNSPEC, SOCK_DGRAM, 0, AI_NUMERICHOST);
  if (typeof r === 'number') throw gaiError(r, 'getaddrinfo');
  if (r.length > 1) throw new OSError('sockaddr resolved to multiple addresses');
  const [family, , , , found] = r[0]!;
  const addr = Buffer.from(found);
  if (family === AF_INET) {
    if (sockaddr.length !== 2) throw new OSError('IPv4 sockaddr must be 2 tuple');
  } else if (family === AF_INET6) {
    addr.writeUInt32BE(flowinfo, SIN6_FLOWINFO);
    if (LITTLE_ENDIAN) addr.writeUInt32LE(scopeId, SIN6_SCOPE_ID);
    else addr.writeUInt32BE(scopeId, SIN6_SCOPE_ID);
  }
  const names: [string, string] | number = yield gniCall(addr, flg);
  if (typeof names === 'number') throw gaiError(names, 'getnameinfo');
  return names;
}

/**
 * Translates a socket address into a host and port (getnameinfo(3)),
 * without blocking the event loop: `[host, port]`, the port as text.
 *
 * The address must be numeric, as in Python: `[host, port]` for IPv4 and
 * `[host, port, flowinfo?, scope_id?]` for IPv6. `flags` are `NI_*` bits:
 * NI_NUMERICHOST and NI_NUMERICSERV return numbers without a lookup.
 *
 * The promise rejects with `gaierror` when the host is not numeric or the
 * lookup fails; `OSError('IPv4 sockaddr must be 2 tuple')` for an IPv4 host
 * with flowinfo or scope_id; TypeError for a sockaddr that is not an array
 * of 2 to 4 items (or whose items have the wrong type); RangeError for a
 * flowinfo beyond 0xfffff (Python's OverflowError).
 *
 * @see https://man7.org/linux/man-pages/man3/getnameinfo.3.html
 * @see https://docs.python.org/3/library/socket.html#socket.getnameinfo
 * @example
 * ```ts
 * await getnameinfo(['127.0.0.1', 80], NI_NUMERICHOST | NI_NUMERICSERV);   // ['127.0.0.1', '80']
 * ```
 */
export function getnameinfo(sockaddr: readonly unknown[], flags: number): Promise<[host: string, port: string]> {
  return runAsync(getnameinfoSteps(sockaddr, flags));
}

/**
 * {@link getnameinfo} on the calling thread, as Python's `socket.getnameinfo`.
 *
 * @see https://man7.org/linux/man-pages/man3/getnameinfo.3.html
 * @see https://docs.python.org/3/library/socket.html#socket.getnameinfo
 * @example
 * ```ts
 * getnameinfoSync(['::1', 22, 0, 0], NI_NUMERICHOST | NI_NUMERICSERV);   // ['::1', '22']
 * ```
 */
export function getnameinfoSync(sockaddr: readonly unknown[], flags: number): [host: string, port: string] {
  return runSync(getnameinfoSteps(sockaddr, flags));
}

// ---------------------------------------------------------------------------
// gethostbyname, gethostbyname_ex, gethostbyaddr

function hostEntry(r: RawHostent | number, af: number, syscall: string): HostEntry {
  if (typeof r === 'number') throw hostError(r, syscall);
  const [name, aliases, addrtype, addresses] = r;
  if (addrtype !== af) throw fromErrno(EAFNOSUPPORT, syscall);
  return [name, aliases, addresses.map((a) => formatAddress(af, a))];
}

function* gethostbynameSteps(host: unknown): Steps<string> {
  const name = hostnameArg(host, 'gethostbyname');
  const addr = yield* setipaddr(name, AF_INET);
  return formatIPv4(addr.bytes);
}

function* gethostbynameExSteps(host: unknown): Steps<HostEntry> {
  const name = hostnameArg(host, 'gethostbyname_ex');
  yield* setipaddr(name, AF_INET);
  const r: RawHostent | number = yield hostByNameCall(name);
  return hostEntry(r, AF_INET, 'gethostbyname_r');
}

function* gethostbyaddrSteps(ipAddr: unknown): Steps<HostEntry> {
  const name = hostnameArg(ipAddr, 'gethostbyaddr');
  const addr = yield* setipaddr(name, AF_UNSPEC);
  const r: RawHostent | number = yield hostByAddrCall(addr.bytes, addr.family);
  return hostEntry(r, addr.family, 'gethostbyaddr_r');
}

/**
 * The IPv4 address of a host, as a dotted quad, without blocking the event
 * loop. A numeric IPv4 address is returned as it is (no lookup), `''` is
 * `'0.0.0.0'` and `'<broadcast>'` `'255.255.255.255'`; anything else is
 * looked up with getaddrinfo(3) restricted to AF_INET (so `'::1'` rejects
 * with `gaierror` EAI_ADDRFAMILY). Text is IDNA-encoded; bytes are passed
 * as they are.
 *
 * @see https://man7.org/linux/man-pages/man3/getaddrinfo.3.html
 * @see https://docs.python.org/3/library/socket.html#socket.gethostbyname
 * @example
 * ```ts
 * await gethostbyname('localhost');   // '127.0.0.1'
 * ```
 */
export function gethostbyname(hostname: HostArg): Promise<string> {
  return runAsync(gethostbynameSteps(hostname));
}

/**
 * {@link gethostbyname} on the calling thread, as Python's `socket.gethostbyname`.
 *
 * @see https://docs.python.org/3/library/socket.html#socket.gethostbyname
 * @example
 * ```ts
 * gethostbynameSync('127.0.0.1');   // '127.0.0.1'
 * ```
 */
export function gethostbynameSync(hostname: HostArg): string {
  return runSync(gethostbynameSteps(hostname));
}

/**
 * A host's entry from the host database (gethostbyname_r(3)), without
 * blocking the event loop: `[hostname, aliases, ipv4Addresses]`.
 *
 * The host is first checked as {@link gethostbyname} checks it (so a bad
 * name rejects with `gaierror`); a name the host database then cannot find
 * rejects with `herror` (`errno` the h_errno, e.g. 1 `Unknown host`).
 *
 * @see https://man7.org/linux/man-pages/man3/gethostbyname.3.html
 * @see https://docs.python.org/3/library/socket.html#socket.gethostbyname_ex
 * @example
 * ```ts
 * await gethostbynameEx('localhost');   // ['localhost', [], ['127.0.0.1']]
 * ```
 */
export function gethostbynameEx(hostname: HostArg): Promise<HostEntry> {
  return runAsync(gethostbynameExSteps(hostname));
}

/**
 * {@link gethostbynameEx} on the calling thread, as Python's `socket.gethostbyname_ex`.
 *
 * @see https://docs.python.org/3/library/socket.html#socket.gethostbyname_ex
 * @example
 * ```ts
 * gethostbynameExSync('127.0.0.1');   // ['127.0.0.1', [], ['127.0.0.1']]
 * ```
 */
export function gethostbynameExSync(hostname: HostArg): HostEntry {
  return runSync(gethostbynameExSteps(hostname));
}

/**
 * The host database's entry for an address (gethostbyaddr_r(3)), without
 * blocking the event loop: `[hostname, aliases, addresses]`. `ipAddr` may
 * also be a name, which is resolved first (IPv4 or IPv6).
 *
 * Rejects with `herror` when the address has no entry (`[Errno 1] Unknown
 * host`), with `gaierror` when a name does not resolve.
 *
 * @see https://man7.org/linux/man-pages/man3/gethostbyaddr.3.html
 * @see https://docs.python.org/3/library/socket.html#socket.gethostbyaddr
 * @example
 * ```ts
 * await gethostbyaddr('127.0.0.1');   // ['localhost', [], ['127.0.0.1']]
 * ```
 */
export function gethostbyaddr(ipAddr: HostArg): Promise<HostEntry> {
  return runAsync(gethostbyaddrSteps(ipAddr));
}

/**
 * {@link gethostbyaddr} on the calling thread, as Python's `socket.gethostbyaddr`.
 *
 * @see https://docs.python.org/3/library/socket.html#socket.gethostbyaddr
 * @example
 * ```ts
 * gethostbyaddrSync('127.0.0.1');   // ['localhost', [], ['127.0.0.1']]
 * ```
 */
export function gethostbyaddrSync(ipAddr: HostArg): HostEntry {
  return runSync(gethostbyaddrSteps(ipAddr));
}

// ---------------------------------------------------------------------------
// getfqdn

/** The whitespace Python's `str.strip()` removes. */
const PY_SPACE = '\\t\\n\\v\\f\\r\\x1c-\\x20\\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000';
const PY_STRIP = new RegExp(`^[${PY_SPACE}]+|[${PY_SPACE}]+$`, 'g');

function* getfqdnSteps(name: unknown): Steps<string> {
  if (typeof name !== 'string') throw new TypeError(`getfqdn() argument must be a string, not ${typeName(name)}`);
  let host = name.replace(PY_STRIP, '');
  if (host === '' || host === '0.0.0.0' || host === '::') host = gethostname();
  let entry: HostEntry;
  try {
    entry = yield* gethostbyaddrSteps(host);
  } catch (err) {
    if (err instanceof OSError) return host;
    throw err;
  }
  const [hostname, aliases] = entry;
  for (const candidate of [hostname, ...aliases]) {
    if (candidate.includes('.')) return candidate;
  }
  return hostname;
}

/**
 * The fully qualified domain name of `name`, as Python's `socket.getfqdn`
 * finds it, without blocking the event loop: `name` (whitespace stripped;
 * `''`, `'0.0.0.0'` and `'::'` mean this host, gethostname(2)) goes to
 * {@link gethostbyaddr}; the first of its hostname and aliases that
 * contains a dot is returned, else the hostname. When the lookup fails,
 * `name` comes back unchanged.
 *
 * @see https://docs.python.org/3/library/socket.html#socket.getfqdn
 * @example
 * ```ts
 * await getfqdn('127.0.0.1');   // 'localhost'
 * ```
 */
export function getfqdn(name = ''): Promise<string> {
  return runAsync(getfqdnSteps(name));
}

/**
 * {@link getfqdn} on the calling thread, as Python's `socket.getfqdn`.
 *
 * @see https://docs.python.org/3/library/socket.html#socket.getfqdn
 * @example
 * ```ts
 * getfqdnSync();   // this host's name
 * ```
 */
export function getfqdnSync(name = ''): string {
  return runSync(getfqdnSteps(name));
}

// ---------------------------------------------------------------------------
// getprotobyname, getservbyname, getservbyport (local files: synchronous)

/**
 * The number of a protocol named in the protocols database
 * (getprotobyname(3), /etc/protocols).
 *
 * @throws OSError `protocol not found` (errno `null`) for an unknown name;
 *   TypeError when `protocolname` is not a string.
 * @see https://man7.org/linux/man-pages/man3/getprotobyname.3.html
 * @see https://docs.python.org/3/library/socket.html#socket.getprotobyname
 * @example
 * ```ts
 * getprotobyname('tcp');   // 6
 * ```
 */
export function getprotobyname(protocolname: string): number {
  const name = strArg(protocolname, 'getprotobyname() argument');
  const r = binding.getprotobyname(name);
  if (r < 0) throw new OSError('protocol not found');
  return r;
}

function protoArg(protocolname: unknown, fn: string): string | null {
  return protocolname === undefined ? null : strArg(protocolname, `${fn}() argument 2`);
}

/**
 * The port of a service named in the services database
 * (getservbyname(3), /etc/services), optionally for one protocol (`'tcp'`
 * or `'udp'`; any when omitted).
 *
 * @throws OSError `service/proto not found` (errno `null`) when there is no
 *   such service; TypeError when an argument is not a string.
 * @see https://man7.org/linux/man-pages/man3/getservbyname.3.html
 * @see https://docs.python.org/3/library/socket.html#socket.getservbyname
 * @example
 * ```ts
 * getservbyname('http', 'tcp');   // 80
 * ```
 */
export function getservbyname(servicename: string, protocolname?: string): number {
  const name = strArg(servicename, 'getservbyname() argument 1');
  const proto = protoArg(protocolname, 'getservbyname');
  const r = binding.getservbyname(name, proto);
  if (r < 0) throw new OSError('service/proto not found');
  return r;
}

/**
 * The name of the service on a port in the services database
 * (getservbyport(3), /etc/services), optionally for one protocol.
 *
 * @throws RangeError `getservbyport: port must be 0-65535.` (Python's
 *   OverflowError); OSError `port/proto not found` (errno `null`) when no
 *   service is listed; TypeError when `port` is not an integer.
 * @see https://man7.org/linux/man-pages/man3/getservbyport.3.html
 * @see https://docs.python.org/3/library/socket.html#socket.getservbyport
 * @example
 * ```ts
 * getservbyport(80);   // 'http'
 * ```
 */
export function getservbyport(port: number, protocolname?: string): string {
  const p = intArg(port, 'getservbyport() argument 1');
  const proto = protoArg(protocolname, 'getservbyport');
  if (p < 0 || p > 0xffff) throw new RangeError(`getservbyport: port must be 0-65535., got ${p}`);
  const r = binding.getservbyport(p, proto);
  if (typeof r === 'number') throw new OSError('port/proto not found');
  return r;
}
