/**
 * From the host of an address tuple to address bytes, as CPython's
 * `setipaddr()` does it: `''` is the wildcard, `'<broadcast>'` and
 * `'255.255.255.255'` are INADDR_BROADCAST, a numeric address is parsed
 * without a lookup, and anything else goes to getaddrinfo(3) restricted to
 * the socket's family (no other hints), whose first answer is taken.
 *
 * @internal
 * @packageDocumentation
 */
import { domainToASCII } from 'node:url';
import { OSError, gaierror, type AddressContext } from '@bsdsock/core';
import { binding, fromErrno, type RawAddrinfo } from '@bsdsock/core/internal';
import { prefix, show } from './messages.js';
import { parseIPv4, parseIPv6 } from './ip-text.js';

/** A host as an address tuple may carry it: text, or the bytes of a name. */
export type HostInput = string | ArrayBufferView | ArrayBuffer;

const NON_ASCII = /[\u0080-\uffff]/;
const IDNA_DOTS = /[.\u3002\uff0e\uff61]/;

/** Whether `label` holds ASCII that no host name label has (anything but letters, digits, `-` and `_`). */
function hasNonLabelAscii(label: string): boolean {
  for (let i = 0; i < label.length; i++) {
    const c = label.charCodeAt(i);
    if (c >= 0x80) continue;
    const lower = c | 0x20;
    if ((lower >= 0x61 && lower <= 0x7a) || (c >= 0x30 && c <= 0x39) || c === 0x2d || c === 0x5f) continue;
    return true;
  }
  return false;
}

/**
 * Python's `str.encode('idna')` of a host that is not all ASCII: each label
 * (split at `.` and the ideographic full stops) is NFKC-normalised and, when
 * still not ASCII, turned into its `xn--` form by `url.domainToASCII`; every
 * label must then be 1-63 characters, a trailing dot allowed. (Node maps
 * labels by UTS #46 where CPython's codec uses IDNA 2003: they differ on a
 * few characters, such as `ß`, which CPython maps to `ss`.)
 *
 * @returns the ASCII name, or `null` when it cannot be encoded.
 */
export function idnaEncode(text: string): string | null {
  const labels = text.split(IDNA_DOTS);
  let trailingDot = '';
  if (labels.length > 1 && labels[labels.length - 1] === '') {
    labels.pop();
    trailingDot = '.';
  }
  const out: string[] = [];
  for (const label of labels) {
    let ascii: string;
    if (!NON_ASCII.test(label)) {
      ascii = label;
    } else {
      const normal = label.normalize('NFKC');
      if (!NON_ASCII.test(normal)) {
        ascii = normal.toLowerCase();
      } else if (hasNonLabelAscii(normal)) {
        return null;
      } else {
        ascii = domainToASCII(normal);
        if (ascii.includes('.')) return null;
      }
    }
    if (ascii.length === 0 || ascii.length > 63) return null;
    out.push(ascii);
  }
  return out.join('.') + trailingDot;
}

/**
 * The name getaddrinfo gets for a host that needs a lookup: a non-ASCII
 * string is IDNA-encoded as Python does; bytes and ASCII text go unchanged.
 *
 * @throws TypeError when the name cannot be IDNA-encoded.
 */
export function lookupName(host: HostInput, text: string, ctx: AddressContext | undefined, familyName: string): string {
  if (typeof host !== 'string' || !NON_ASCII.test(text)) return text;
  const ascii = idnaEncode(text);
  if (ascii === null) {
    throw new TypeError(`${prefix(ctx)}${familyName} host name cannot be IDNA-encoded, got ${show(text)}`);
  }
  return ascii;
}

/**
 * Writes the IPv4 address of a host that needs no lookup into `out` at
 * `offset`: `''` (INADDR_ANY), `'<broadcast>'` (INADDR_BROADCAST) or a
 * dotted quad.
 *
 * @returns `false` when the host needs getaddrinfo (a name, or a short form
 *   such as `127.1` that only the resolver accepts).
 */
export function numericIPv4(text: string, out: Buffer, offset: number): boolean {
  if (text === '') return true;
  const v = text === '<broadcast>' ? 0xffffffff : parseIPv4(text);
  if (v < 0) return false;
  out.writeUInt32BE(v, offset);
  return true;
}

/**
 * Writes the IPv6 address of a host that needs no lookup into `out` at
 * `offset`: `''` (in6addr_any) or a literal without `%scope`.
 *
 * @returns `false` when the host needs getaddrinfo (a name, or a literal
 *   with `%scope`).
 * @throws OSError `address family mismatched` for `'<broadcast>'` and
 *   `'255.255.255.255'`, as CPython raises on an AF_INET6 socket.
 */
export function numericIPv6(text: string, out: Buffer, offset: number): boolean {
  if (text === '') return true;
  if (text === '<broadcast>' || text === '255.255.255.255') throw new OSError('address family mismatched');
  if (text.includes('%')) return false;
  return parseIPv6(text, out, offset);
}

/** Turns a failed getaddrinfo result code into the error Python raises. */
export function lookupError(code: number): OSError {
  // EAI_SYSTEM comes back as -(0x10000 + errno): Python raises the OSError of errno.
  if (code <= -0x10000) return fromErrno(-code - 0x10000, 'getaddrinfo');
  return new gaierror(code, undefined, 'getaddrinfo');
}

function firstAddress(result: RawAddrinfo[] | number, family: number): Buffer {
  if (typeof result === 'number') throw lookupError(result);
  const first = result[0];
  if (first === undefined || first[0] !== family) throw new OSError('unknown address family');
  return first[4];
}

/**
 * Resolves a name with getaddrinfo(3) on the calling thread, hints as
 * CPython's `setipaddr()` sets them (only `ai_family`).
 *
 * @returns the sockaddr of the first answer.
 * @throws gaierror, or the OSError of an EAI_SYSTEM failure.
 */
export function lookupSync(name: string, family: number): Buffer {
  return firstAddress(binding.getaddrinfo(name, null, family, 0, 0, 0), family);
}

/** {@link lookupSync} on libuv's thread pool, so the event loop never waits. */
export function lookupAsync(name: string, family: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    binding.getaddrinfoAsync(name, null, family, 0, 0, 0, (result) => {
      try {
        resolve(firstAddress(result, family));
      } catch (err) {
        reject(err);
      }
    });
  });
}
