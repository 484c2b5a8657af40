/**
 * The address-family plugin contract and the registry that holds the
 * plugins. Core knows no address format itself: `@bsdsock/inet`,
 * `@bsdsock/unix` and every other family package (in this repository or
 * outside it) register a {@link FamilyPlugin} on import.
 *
 * @packageDocumentation
 */

/** What a plugin knows about the socket an address is for. */
export interface AddressContext {
  /** The socket's address family, e.g. `AF_INET`. */
  readonly family: number;
  /** The socket's type with SOCK_NONBLOCK/SOCK_CLOEXEC stripped, e.g. `SOCK_STREAM`. */
  readonly type: number;
  /** The socket's protocol number. */
  readonly proto: number;
  /**
   * The method the address was given to (`'bind'`, `'connect'`, `'sendto'`,
   * ...); error messages start with it, as Python's do: `bind(): port must be 0-65535`.
   */
  readonly caller: string;
}

/**
 * An address family: a zod-validated codec between the address tuple Python
 * uses and the kernel's `struct sockaddr_*` bytes.
 *
 * A plugin is data plus pure functions. `encode` validates what the user
 * gave and throws `TypeError` (wrong shape or type) or `RangeError` (a number
 * out of range) whose message names the family and the field; it may throw
 * an `OSError` subclass (say, `gaierror` from a name lookup).
 *
 * @example
 * ```ts
 * import { registerFamily, type FamilyPlugin } from '@bsdsock/core';
 *
 * const netlink: FamilyPlugin<readonly [number, number]> = {
 *   family: 16,
 *   name: 'AF_NETLINK',
 *   encode(address, ctx) { ... return bytes; },
 *   decode(bytes, length) { return [bytes.readUInt32LE(4), bytes.readUInt32LE(8)]; },
 * };
 * registerFamily(netlink);
 * ```
 */
export interface FamilyPlugin<A = unknown> {
  /** The `AF_*` number. */
  readonly family: number;
  /** The constant's name, `'AF_INET'`; used in error messages and `inspect`. */
  readonly name: string;
  /**
   * Validates `address` and returns the sockaddr bytes; their `byteLength`
   * is the addrlen handed to the kernel. Runs synchronously: a host name is
   * resolved on the calling thread (as Python's `bind` and the `Sync` forms
   * do).
   */
  encode(address: unknown, ctx: AddressContext): Buffer;
  /**
   * The form used by the Promise methods: the same result, without blocking
   * the event loop (a name lookup runs off the JavaScript thread). Return a
   * Buffer directly when no lookup is needed. Defaults to {@link encode}.
   */
  encodeAsync?(address: unknown, ctx: AddressContext): Buffer | Promise<Buffer>;
  /**
   * Turns `length` bytes of a sockaddr the kernel wrote into the address
   * Python returns. `bytes` may be a reused scratch buffer: copy what you
   * keep. Never called with `length === 0` (that address is `null`).
   */
  decode(bytes: Buffer, length: number, ctx: AddressContext): A;
  /**
   * `false` when accept(2) must not be asked for the peer's address (AF_ALG
   * fails with ECONNABORTED if it is); `accept()` then returns `null` as
   * the address. Defaults to `true`.
   */
  readonly acceptAddress?: boolean;
  /**
   * Whether {@link encode} gives the same bytes for `address` every time
   * (nothing looked up: a numeric host, a path). A socket then keeps the
   * bytes of the last address it sent to and skips encoding an equal one
   * again. Called only for a primitive or an array of primitives, after a
   * successful `encode`. Without it nothing is kept.
   */
  stable?(address: unknown): boolean;
}

/**
 * The type of the addresses a family returns, by family number: what
 * `getsockname()`, `accept()` and `recvfrom()` give on a `Socket<F>`. Family
 * packages add their entries by module augmentation:
 *
 * @example
 * ```ts
 * declare module '@bsdsock/core' {
 *   interface AddressTypes {
 *     [AF_NETLINK]: readonly [pid: number, groups: number];
 *   }
 * }
 * ```
 */
// eslint-disable-next-line @typescript-eslint/no-empty-interface
export interface AddressTypes {}

/**
 * The address type of family `F`: its {@link AddressTypes} entry, or
 * `unknown` for a family no package describes (or a family only known at
 * run time).
 */
export type AddressOf<F extends number> = (AddressTypes & { readonly [family: number]: unknown })[F];

const registry = new Map<number, FamilyPlugin>();

/**
 * Adds an address family, or replaces the plugin of that family. Importing a
 * family package calls this; calling it again with the same family is
 * harmless (the newest plugin wins).
 *
 * @returns the plugin that was registered for the family before, if any.
 */
export function registerFamily(plugin: FamilyPlugin): FamilyPlugin | undefined {
  if (plugin === null || typeof plugin !== 'object') {
    throw new TypeError(`registerFamily() expects a FamilyPlugin object, got ${plugin === null ? 'null' : typeof plugin}`);
  }
  if (!Number.isInteger(plugin.family) || plugin.family < 0 || plugin.family > 0xffff) {
    throw new RangeError(`registerFamily(): family must be an integer 0-65535, got ${String(plugin.family)}`);
  }
  if (typeof plugin.name !== 'string' || typeof plugin.encode !== 'function' || typeof plugin.decode !== 'function') {
    throw new TypeError('registerFamily(): a FamilyPlugin needs a name, encode() and decode()');
  }
  const previous = registry.get(plugin.family);
  registry.set(plugin.family, plugin);
  return previous;
}

/** The plugin registered for `family`, or `undefined`. */
export function getFamily(family: number): FamilyPlugin | undefined {
  return registry.get(family);
}

/** Every registered family, by number. */
export function registeredFamilies(): ReadonlyMap<number, FamilyPlugin> {
  return registry;
}

/**
 * Methods that family packages add to {@link Socket}, declared by module
 * augmentation (`@bsdsock/alg` adds `sendmsgAfalg` this way):
 *
 * ```ts
 * declare module '@bsdsock/core' {
 *   interface SocketExtensions<F extends number = number> {
 *     sendmsgAfalg(...): Promise<number>;
 *   }
 * }
 * Socket.prototype.sendmsgAfalg = ...;   // the implementation
 * ```
 *
 * Augment this interface rather than `Socket` itself: TypeScript merges an
 * augmentation of the re-exported class unreliably (the class's
 * symbol-named members, such as `[Symbol.dispose]`, can go missing).
 */
// eslint-disable-next-line @typescript-eslint/no-unused-vars, @typescript-eslint/no-empty-interface
export interface SocketExtensions<F extends number = number> {}
