/**
 * `@bsdsock/alg`: the AF_ALG address family for bsdsock — the Linux kernel
 * crypto API (hashes, HMACs, ciphers, AEADs and random number generators)
 * through sockets.
 *
 * Importing this package registers AF_ALG with `@bsdsock/core`, so that
 * `bind` takes Python's `[type, name, feat?, mask?]` address and `accept()`
 * returns `[opSocket, null]` as CPython does; it adds Python's
 * `sendmsg_afalg` to every Socket as `sendmsgAfalg` (Promise) and
 * `sendmsgAfalgSync`, and exports `AF_ALG`, `SOL_ALG` and the `ALG_*`
 * constants.
 *
 * The pattern: a bound "algorithm" socket holds the transform and its key
 * (`setsockopt(SOL_ALG, ALG_SET_KEY, key)`); each `accept()` makes an
 * "operation" socket to which you write the input and from which you read
 * the result.
 *
 * @example
 * ```ts
 * import { Socket, SOCK_SEQPACKET } from '@bsdsock/core';
 * import { AF_ALG, ALG_OP_ENCRYPT, ALG_SET_KEY, SOL_ALG } from '@bsdsock/alg';
 *
 * const algo = new Socket(AF_ALG, SOCK_SEQPACKET, 0);
 * algo.bind(['hash', 'sha256']);
 * const [op] = await algo.accept();
 * await op.sendall(Buffer.from('abc'));
 * console.log((await op.recv(32)).toString('hex')); // ba7816bf...
 *
 * const aes = new Socket(AF_ALG, SOCK_SEQPACKET, 0);
 * aes.bind(['skcipher', 'cbc(aes)']);
 * aes.setsockopt(SOL_ALG, ALG_SET_KEY, key);
 * const [enc] = await aes.accept();
 * await enc.sendmsgAfalg([plaintext], { op: ALG_OP_ENCRYPT, iv });
 * const ciphertext = await enc.recv(plaintext.length);
 * ```
 * @see https://www.kernel.org/doc/html/latest/crypto/userspace-if.html
 * @see https://docs.python.org/3/library/socket.html#socket-families
 * @packageDocumentation
 */
import { registerFamily } from '@bsdsock/core';
import { installSendmsgAfalg } from './afalg.js';
import { algFamily } from './codec.js';
import type { AF_ALG } from './constants.generated.js';
import type { AlgAddressResult } from './schema.js';

declare module '@bsdsock/core' {
  /**
   * A `Socket<typeof AF_ALG>` gets `null` where other families get an
   * address (`accept()`, `recvfrom()`): the kernel reports no AF_ALG address.
   * The codec itself decodes `[type, name, feat, mask]`.
   */
  interface AddressTypes {
    [AF_ALG]: AlgAddressResult | null;
  }
}

registerFamily(algFamily);
installSendmsgAfalg();

export * from './constants.generated.js';
export { algFamily, type AlgFamilyPlugin } from './codec.js';
export {
  algAddressSchema,
  algTypeSchema,
  algNameSchema,
  algFlagsSchema,
  type AlgAddress,
  type AlgAddressResult,
} from './schema.js';
export {
  sendmsgAfalg,
  sendmsgAfalgSync,
  afalgAncillary,
  installSendmsgAfalg,
  type AfalgAncillaryOptions,
  type AfalgOptions,
  type AfalgAsyncOptions,
} from './afalg.js';
