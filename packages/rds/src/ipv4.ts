/**
 * Dotted-quad IPv4 text to and from its 4 bytes, with the rules of glibc's
 * inet_pton(3) and inet_ntop(3), which CPython uses for numeric hosts.
 *
 * @internal
 * @packageDocumentation
 */

/** Four decimal parts 0-255, no leading zeros, nothing else: what inet_pton(AF_INET) accepts. */
const DOTTED_QUAD = /^(?:(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)$/;

/**
 * Writes the address `text` names, in network order, at `offset` of `out`.
 *
 * @returns `false` when `text` is not a dotted quad (a name, or a short form
 *   such as `127.1` that only the resolver accepts).
 */
export function parseDottedQuad(text: string, out: Buffer, offset: number): boolean {
  if (!DOTTED_QUAD.test(text)) return false;
  text.split('.').forEach((part, i) => {
    out[offset + i] = Number(part);
  });
  return true;
}

/** The dotted quad of the 4 bytes at `offset`, as inet_ntop(3) writes it. */
export function formatDottedQuad(bytes: Buffer, offset: number): string {
  return `${bytes[offset]}.${bytes[offset + 1]}.${bytes[offset + 2]}.${bytes[offset + 3]}`;
}
