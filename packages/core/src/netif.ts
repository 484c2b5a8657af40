/**
 * Interface names and indexes, and the host name: Python's `if_nameindex`,
 * `if_nametoindex`, `if_indextoname`, `gethostname` and `sethostname`.
 *
 * @packageDocumentation
 */
import { binding } from './binding.js';
import { OSError, fromErrno } from './errors.js';
import { type BytesLike, checkBytes, typeName } from './validators.js';

/**
 * Every network interface as `[index, name]` (if_nameindex(3)).
 * @see https://docs.python.org/3/library/socket.html#socket.if_nameindex
 * @example
 * ```ts
 * ifNameindex(); // [[1, 'lo'], [2, 'eth0']]
 * ```
 */
export function ifNameindex(): [number, string][] {
  const r = binding.ifNameindex();
  if (typeof r === 'number') throw fromErrno(-r, 'if_nameindex');
  return r;
}

function nameString(name: unknown, method: string): string {
  if (typeof name === 'string') return name;
  if (ArrayBuffer.isView(name) || name instanceof ArrayBuffer) {
    const v = checkBytes(name, method);
    return Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString('utf8');
  }
  throw new TypeError(`${method}(): interface name must be a string or bytes-like object, not ${typeName(name)}`);
}

/**
 * The index of the interface named `name` (if_nametoindex(3)); an unknown
 * name raises `OSError('no interface with this name')`, as in Python.
 * @see https://docs.python.org/3/library/socket.html#socket.if_nametoindex
 */
export function ifNametoindex(name: string | BytesLike): number {
  const text = nameString(name, 'if_nametoindex');
  if (text.includes('\0')) throw new TypeError('if_nametoindex(): embedded null byte');
  const index = binding.ifNametoindex(text);
  if (index === 0) throw new OSError('no interface with this name');
  return index;
}

/**
 * The name of the interface with index `index` (if_indextoname(3)); an
 * unknown index raises OSError ENXIO.
 * @see https://docs.python.org/3/library/socket.html#socket.if_indextoname
 */
export function ifIndextoname(index: number): string {
  if (typeof index !== 'number' || !Number.isInteger(index)) {
    throw new TypeError(`if_indextoname(): index must be an integer, not ${typeName(index)}`);
  }
  if (index < 0 || index > 0xffff_ffff) {
    throw new RangeError(`if_indextoname(): index must be 0-4294967295, got ${index}`);
  }
  const r = binding.ifIndextoname(index);
  if (typeof r === 'number') throw fromErrno(-r, 'if_indextoname');
  return r;
}

/**
 * This machine's host name (gethostname(2)).
 * @see https://docs.python.org/3/library/socket.html#socket.gethostname
 */
export function gethostname(): string {
  const r = binding.gethostname();
  if (typeof r === 'number') throw fromErrno(-r, 'gethostname');
  return r.toString('utf8');
}

/**
 * Sets the host name (sethostname(2)); needs CAP_SYS_ADMIN in the UTS
 * namespace (PermissionError otherwise).
 * @see https://docs.python.org/3/library/socket.html#socket.sethostname
 */
export function sethostname(name: string | BytesLike): void {
  let bytes: ArrayBufferView;
  if (typeof name === 'string') bytes = Buffer.from(name, 'utf8');
  else bytes = checkBytes(name, 'sethostname()');
  const r = binding.sethostname(bytes);
  if (r < 0) throw fromErrno(-r, 'sethostname');
}
