/**
 * IPv4 and IPv6 addresses between their text form and their 4 or 16 bytes
 * (network order), with exactly the rules of the GNU C library's
 * `inet_pton(3)` and `inet_ntop(3)`, which CPython's socket module uses for
 * every numeric address. Pure JavaScript: no native call, no allocation but
 * the returned string.
 *
 * @internal
 * @packageDocumentation
 */

const DOT = 0x2e;
const COLON = 0x3a;
const ZERO = 0x30;
const NINE = 0x39;

function hexDigit(c: number): number {
  if (c >= ZERO && c <= NINE) return c - ZERO;
  const lower = c | 0x20;
  if (lower >= 0x61 && lower <= 0x66) return lower - 0x61 + 10;
  return -1;
}

/**
 * Parses a dotted-quad IPv4 address as glibc's `inet_pton(AF_INET, ...)`
 * does: exactly four decimal parts, each 0-255, no leading zeros, nothing
 * else (no spaces, no `0x`, no shortened `127.1`).
 *
 * @param text the address text.
 * @param start index of the first character to parse (default 0).
 * @param end index just past the last character (default `text.length`).
 * @returns the address as an unsigned 32-bit number (`0x7f000001` for
 *   `127.0.0.1`), or `-1` when `text` is not such an address.
 * @see https://man7.org/linux/man-pages/man3/inet_pton.3.html
 */
export function parseIPv4(text: string, start = 0, end: number = text.length): number {
  let value = 0;
  let part = 0;
  let parts = 0;
  let sawDigit = false;
  for (let i = start; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c >= ZERO && c <= NINE) {
      if (sawDigit && part === 0) return -1;
      part = part * 10 + (c - ZERO);
      if (part > 255) return -1;
      if (!sawDigit) {
        if (++parts > 4) return -1;
        sawDigit = true;
      }
    } else if (c === DOT && sawDigit) {
      if (parts === 4) return -1;
      value = value * 256 + part;
      part = 0;
      sawDigit = false;
    } else {
      return -1;
    }
  }
  if (parts < 4 || !sawDigit) return -1;
  return value * 256 + part;
}

/**
 * Parses an IPv6 address as glibc's `inet_pton(AF_INET6, ...)` does (at most
 * four hex digits a group, one `::`, an optional trailing dotted quad; no
 * `%scope`) and writes its 16 bytes into `out` at `offset`. Nothing is
 * written when the text is not an IPv6 address.
 *
 * @returns whether `text` was an IPv6 address.
 * @see https://man7.org/linux/man-pages/man3/inet_pton.3.html
 */
export function parseIPv6(text: string, out: Uint8Array, offset = 0): boolean {
  const end = text.length;
  // The 8 groups as found; a `::` is expanded at the end.
  const groups = scratchGroups;
  let count = 0;
  let gap = -1;
  let i = 0;
  if (end === 0) return false;
  if (text.charCodeAt(0) === COLON) {
    if (end < 2 || text.charCodeAt(1) !== COLON) return false;
    i = 1;
  }
  let tokenStart = i;
  let digits = 0;
  let value = 0;
  let sawV4 = false;
  while (i < end) {
    const c = text.charCodeAt(i++);
    const d = hexDigit(c);
    if (d >= 0) {
      if (digits === 4) return false;
      value = (value << 4) | d;
      digits++;
      continue;
    }
    if (c === COLON) {
      tokenStart = i;
      if (digits === 0) {
        if (gap >= 0) return false;
        gap = count;
        continue;
      }
      if (i === end) return false;
      if (count === 8) return false;
      groups[count++] = value;
      digits = 0;
      value = 0;
      continue;
    }
    if (c === DOT && count <= 6) {
      const v4 = parseIPv4(text, tokenStart, end);
      if (v4 < 0) return false;
      groups[count++] = Math.floor(v4 / 0x10000);
      groups[count++] = v4 % 0x10000;
      digits = 0;
      sawV4 = true;
      break;
    }
    return false;
  }
  if (!sawV4 && digits > 0) {
    if (count === 8) return false;
    groups[count++] = value;
  }
  if (gap >= 0) {
    if (count === 8) return false;
  } else if (count !== 8) {
    return false;
  }
  const zeros = 8 - count;
  for (let g = 0, src = 0; g < 8; g++) {
    let word: number;
    if (gap >= 0 && g >= gap && g < gap + zeros) word = 0;
    else word = groups[src++]!;
    out[offset + 2 * g] = word >>> 8;
    out[offset + 2 * g + 1] = word & 0xff;
  }
  return true;
}

const scratchGroups: number[] = [0, 0, 0, 0, 0, 0, 0, 0];

/**
 * Formats 4 bytes as a dotted quad, as `inet_ntop(AF_INET, ...)` does.
 *
 * @see https://man7.org/linux/man-pages/man3/inet_ntop.3.html
 */
export function formatIPv4(bytes: Uint8Array, offset = 0): string {
  return `${bytes[offset]}.${bytes[offset + 1]}.${bytes[offset + 2]}.${bytes[offset + 3]}`;
}

/**
 * Formats 16 bytes as glibc's `inet_ntop(AF_INET6, ...)` does: lower-case
 * hex without leading zeros, the first longest run of two or more zero
 * groups as `::`, and the last 32 bits as a dotted quad for the
 * IPv4-compatible (`::1.2.3.4`, when exactly the first six groups are zero)
 * and IPv4-mapped (`::ffff:1.2.3.4`) forms.
 *
 * @see https://man7.org/linux/man-pages/man3/inet_ntop.3.html
 */
export function formatIPv6(bytes: Uint8Array, offset = 0): string {
  const words = scratchGroups;
  for (let g = 0; g < 8; g++) words[g] = (bytes[offset + 2 * g]! << 8) | bytes[offset + 2 * g + 1]!;
  let bestBase = -1;
  let bestLen = 0;
  let curBase = -1;
  let curLen = 0;
  for (let g = 0; g < 8; g++) {
    if (words[g] === 0) {
      if (curBase < 0) {
        curBase = g;
        curLen = 1;
      } else {
        curLen++;
      }
    } else if (curBase >= 0) {
      if (bestBase < 0 || curLen > bestLen) {
        bestBase = curBase;
        bestLen = curLen;
      }
      curBase = -1;
    }
  }
  if (curBase >= 0 && (bestBase < 0 || curLen > bestLen)) {
    bestBase = curBase;
    bestLen = curLen;
  }
  if (bestBase >= 0 && bestLen < 2) bestBase = -1;

  let s = '';
  for (let g = 0; g < 8; g++) {
    if (bestBase >= 0 && g >= bestBase && g < bestBase + bestLen) {
      if (g === bestBase) s += ':';
      continue;
    }
    if (g !== 0) s += ':';
    if (g === 6 && bestBase === 0 && (bestLen === 6 || (bestLen === 5 && words[5] === 0xffff))) {
      s += formatIPv4(bytes, offset + 12);
      break;
    }
    s += words[g]!.toString(16);
  }
  if (bestBase >= 0 && bestBase + bestLen === 8) s += ':';
  return s;
}
