/**
 * The AF_ALG address as a zod schema: the documented contract of what
 * `bind` accepts on a kernel crypto API socket. The codec checks the same
 * rules by hand; the conformance suite proves that both accept the same
 * addresses and fail with the same error class.
 *
 * @packageDocumentation
 */
import { z } from 'zod';
import { isWellFormed, layout } from '@bsdsock/core/internal';

/** sizeof(salg_type): 14 on Linux, so a type of at most 13 bytes and its NUL. */
export const SALG_TYPE_SIZE = layout('sockaddr_alg.salg_type.size');
/** sizeof(salg_name): 64 on Linux, so a name of at most 63 bytes and its NUL. */
export const SALG_NAME_SIZE = layout('sockaddr_alg.salg_name.size');

/** A string that fits a NUL-terminated char array of `size` bytes in UTF-8. */
function cString(field: 'type' | 'name', size: number) {
  return z
    .string()
    .refine((s) => !s.includes('\0'), { message: `${field} must not contain a NUL character` })
    .refine(isWellFormed, { message: `${field} must not contain a lone surrogate` })
    .refine((s) => Buffer.byteLength(s, 'utf8') < size, { message: `${field} too long: at most ${size - 1} bytes in UTF-8` });
}

/**
 * The algorithm type: `'hash'`, `'skcipher'`, `'aead'`, `'rng'`, `'akcipher'`
 * ... at most 13 bytes in UTF-8 (`salg_type` holds 14 with the NUL).
 *
 * @see https://www.kernel.org/doc/html/latest/crypto/userspace-if.html
 * @example
 * ```ts
 * algTypeSchema.parse('skcipher');                 // 'skcipher'
 * algTypeSchema.safeParse('x'.repeat(14)).success; // false: type too long
 * ```
 */
export const algTypeSchema = cString('type', SALG_TYPE_SIZE);

/**
 * The algorithm name as /proc/crypto lists it: `'sha256'`,
 * `'hmac(sha256)'`, `'cbc(aes)'`, `'gcm(aes)'`, `'stdrng'` ... at most 63
 * bytes in UTF-8 (`salg_name` holds 64 with the NUL).
 *
 * @see https://www.kernel.org/doc/html/latest/crypto/userspace-if.html
 * @example
 * ```ts
 * algNameSchema.parse('hmac(sha256)');           // 'hmac(sha256)'
 * algNameSchema.safeParse('sha\u0000256').success; // false: a NUL character
 * ```
 */
export const algNameSchema = cString('name', SALG_NAME_SIZE);

/**
 * `salg_feat` / `salg_mask`: a u32 of `CRYPTO_ALG_*` flags (the kernel
 * accepts only `CRYPTO_ALG_KERN_DRIVER_ONLY`, 0x1000).
 *
 * @see https://www.kernel.org/doc/html/latest/crypto/userspace-if.html
 * @example
 * ```ts
 * algFlagsSchema.parse(0x1000);            // 4096
 * algFlagsSchema.safeParse(-1).success;    // false: too small
 * ```
 */
export const algFlagsSchema = z.number().int().min(0).max(0xffffffff);

/**
 * An AF_ALG address as given: `[type, name, feat?, mask?]`, Python's
 * `(type, name[, feat[, mask]])`. `feat` and `mask` (default 0) select
 * implementations by their `CRYPTO_ALG_*` flags; the kernel accepts only
 * `CRYPTO_ALG_KERN_DRIVER_ONLY` (0x1000) in them and answers EINVAL for any
 * other bit. An item given as `undefined` takes its default.
 *
 * Whether the kernel has the algorithm is found out by `bind`: an unknown
 * type or name raises `FileNotFoundError` (ENOENT), as in CPython.
 *
 * Differences from CPython:
 * - A type longer than 13 bytes or a name longer than 63 bytes is a
 *   TypeError whose message says `type too long` / `name too long`
 *   (CPython: ValueError `AF_ALG type too long.`). A NUL or a lone surrogate
 *   in them is a TypeError too (CPython: ValueError, UnicodeEncodeError).
 * - CPython parses `feat` and `mask` with the `H` format (an unsigned short,
 *   no overflow check) into the u32 fields, so it silently keeps their low
 *   16 bits (`0x10000` binds as 0) and accepts negative numbers. Here they
 *   are u32s written whole, and a number outside 0-4294967295 is a
 *   RangeError.
 *
 * @example
 * ```ts
 * const algo = new Socket(AF_ALG, SOCK_SEQPACKET, 0);
 * algo.bind(['hash', 'sha256']);
 * algo.bind(['skcipher', 'cbc(aes)', 0, 0]);
 * ```
 * @see https://www.kernel.org/doc/html/latest/crypto/userspace-if.html
 * @see https://docs.python.org/3/library/socket.html#socket-families
 */
export const algAddressSchema = z
  .tuple([algTypeSchema, algNameSchema, algFlagsSchema.optional(), algFlagsSchema.optional()])
  .readonly();

/**
 * An AF_ALG address as given: `[type, name, feat?, mask?]` (see
 * {@link algAddressSchema}).
 *
 * @see https://www.kernel.org/doc/html/latest/crypto/userspace-if.html
 * @example
 * ```ts
 * const address: AlgAddress = ['aead', 'gcm(aes)'];
 * algo.bind(address);
 * ```
 */
export type AlgAddress = z.output<typeof algAddressSchema>;

/**
 * An AF_ALG address as the codec decodes it: always four items,
 * `[type, name, feat, mask]`.
 *
 * The kernel itself never reports an AF_ALG address: `getsockname()` and
 * `getpeername()` raise `OSError` EOPNOTSUPP, `accept()` returns `null` as
 * the address and `recvfrom()` a `null` sender, exactly as in CPython (whose
 * `makesockaddr()` has no AF_ALG case). The decoder serves code that reads
 * a `struct sockaddr_alg` itself.
 *
 * @see https://www.kernel.org/doc/html/latest/crypto/userspace-if.html
 * @example
 * ```ts
 * const [type, name, feat, mask]: AlgAddressResult = algFamily.decode(bytes, bytes.length, ctx);
 * ```
 */
export type AlgAddressResult = readonly [type: string, name: string, feat: number, mask: number];
