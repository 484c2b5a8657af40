/**
 * The conformance suite every address-family plugin runs: the contract of
 * `FamilyPlugin` (in `@bsdsock/core`) checked the same way for each family,
 * in this repository or outside it.
 *
 * @packageDocumentation
 */
import { endianness } from 'node:os';
import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { OSError, type AddressContext, type FamilyPlugin } from '@bsdsock/core';

/** An address `encode` must accept, and what `decode` must give back for it. */
export interface GoodAddress {
  /** The address as a caller gives it. */
  readonly address: unknown;
  /** What decoding its encoding returns; defaults to `address` itself. */
  readonly decoded?: unknown;
}

/**
 * The smallest view of a zod schema the suite needs: `safeParse` and the
 * issues of a failure (zod 4's shape).
 */
export interface SchemaLike {
  safeParse(value: unknown): {
    success: boolean;
    error?: { issues: readonly SchemaIssue[] };
  };
}

/** One zod issue, as far as the suite reads it. */
export interface SchemaIssue {
  readonly code: string;
  readonly origin?: string;
}

/** What {@link describeFamilyConformance} checks a plugin against. */
export interface ConformanceOptions {
  /** Addresses that must encode; none should need a network lookup. */
  readonly good: readonly GoodAddress[];
  /** Addresses of the wrong shape or type: `encode` must throw a TypeError. */
  readonly badType: readonly unknown[];
  /** Addresses with a number out of range: `encode` must throw a RangeError. */
  readonly badRange: readonly unknown[];
  /** The socket the addresses are for; `caller` must appear in error messages. */
  readonly ctx: AddressContext;
  /**
   * The family's zod schema. When given, the suite proves that the schema
   * and `encode` accept the same addresses and fail with the same class:
   * a numeric `too_big`/`too_small` issue is a RangeError, any other issue a
   * TypeError.
   */
  readonly schema?: SchemaLike;
  /** How many random sockaddrs to decode (default 2000). */
  readonly decodeRounds?: number;
}

/** The error class a schema's failure stands for, or `'ok'`. */
export function schemaVerdict(schema: SchemaLike, value: unknown): 'ok' | 'TypeError' | 'RangeError' {
  const result = schema.safeParse(value);
  if (result.success) return 'ok';
  const issues = result.error?.issues ?? [];
  const numericRange = (i: SchemaIssue): boolean =>
    (i.code === 'too_big' || i.code === 'too_small') && (i.origin === 'number' || i.origin === 'int' || i.origin === 'bigint');
  return issues.length > 0 && issues.every(numericRange) ? 'RangeError' : 'TypeError';
}

/** What `encode` did with a value: `'ok'`, or the name of the class it threw. */
export function encodeVerdict(plugin: FamilyPlugin, value: unknown, ctx: AddressContext): string {
  try {
    plugin.encode(value, ctx);
    return 'ok';
  } catch (err) {
    if (err instanceof RangeError) return 'RangeError';
    if (err instanceof TypeError) return 'TypeError';
    if (err instanceof OSError) return 'OSError';
    return `other: ${label(err)}`;
  }
}

/** Runs `encodeAsync` (or `encode`), turning a synchronous throw into a rejection. */
async function encodeAsync(plugin: FamilyPlugin, value: unknown, ctx: AddressContext): Promise<Buffer> {
  return plugin.encodeAsync ? plugin.encodeAsync(value, ctx) : plugin.encode(value, ctx);
}

/** A one-line rendering of any value for assertion messages; never throws. */
function label(value: unknown): string {
  try {
    return inspect(value, { depth: 2, breakLength: Infinity });
  } catch {
    return Object.prototype.toString.call(value);
  }
}

function caught(fn: () => unknown): unknown {
  try {
    fn();
  } catch (err) {
    return err;
  }
  return undefined;
}

/** A small deterministic PRNG (xorshift32), so a failure can be replayed. */
function prng(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return s;
  };
}

const JUNK: readonly unknown[] = [
  undefined, null, true, false, 0, -1, 1.5, NaN, Infinity, -Infinity, 2 ** 53, 10n, Symbol('s'),
  () => 0, {}, [], [[]], [null], [undefined, undefined], new Map(), new Date(0), Object.create(null),
  new Array(3), [0, 0], [1, 2, 3, 4, 5], { length: 2, 0: '127.0.0.1', 1: 80 },
];

const JUNK_ITEMS: readonly unknown[] = [
  undefined, null, true, 1.5, -1, NaN, 2 ** 32, 2 ** 64, 10n, {}, [], Symbol('s'),
];

/** Variations of the good addresses that need no lookup: an item swapped for junk, one added, one dropped. */
function mutations(good: readonly GoodAddress[]): unknown[] {
  const out: unknown[] = [];
  for (const { address } of good) {
    if (!Array.isArray(address)) continue;
    for (let i = 0; i < address.length; i++) {
      for (const j of JUNK_ITEMS) {
        const copy = address.slice();
        copy[i] = j;
        out.push(copy);
      }
    }
    out.push([...address, 0], [...address, null], address.slice(0, -1));
  }
  return out;
}

/**
 * Declares the shared vitest suite for one address-family plugin:
 *
 * - each good address encodes to a Buffer, decodes to its normalized form,
 *   and that form encodes to the same bytes;
 * - `encodeAsync` gives the same bytes as `encode`, and fails the same way;
 * - each badType address throws a TypeError, each badRange address a
 *   RangeError, whose message names the family and the caller;
 * - whatever it is given, `encode` throws nothing but TypeError, RangeError
 *   or OSError;
 * - `decode` of random bytes of any length returns or throws an Error, never
 *   anything else;
 * - when a schema is given, it agrees with `encode` on all of the above.
 *
 * @example
 * ```ts
 * describeFamilyConformance(inetFamily, {
 *   ctx: { family: AF_INET, type: SOCK_DGRAM, proto: 0, caller: 'sendto' },
 *   good: [{ address: ['127.0.0.1', 80] }, { address: ['', 0], decoded: ['0.0.0.0', 0] }],
 *   badType: ['localhost:80', ['127.0.0.1']],
 *   badRange: [['127.0.0.1', 70000]],
 *   schema: inetFamily.schema,
 * });
 * ```
 */
export function describeFamilyConformance(plugin: FamilyPlugin, options: ConformanceOptions): void {
  const { ctx, good, badType, badRange, schema } = options;
  const rounds = options.decodeRounds ?? 2000;

  describe(`${plugin.name} conformance`, () => {
    it('encodes each good address and decodes it to its normalized form', () => {
      for (const { address, decoded } of good) {
        const bytes = plugin.encode(address, ctx);
        expect(Buffer.isBuffer(bytes), `encode(${label(address)}) returns a Buffer`).toBe(true);
        expect(bytes.byteLength).toBeGreaterThan(0);
        const back = plugin.decode(bytes, bytes.byteLength, ctx);
        expect(back).toEqual(decoded === undefined ? address : decoded);
        expect(plugin.encode(back, ctx)).toEqual(bytes);
      }
    });

    it('encodeAsync agrees with encode', async () => {
      for (const { address } of good) {
        expect(await encodeAsync(plugin, address, ctx)).toEqual(plugin.encode(address, ctx));
      }
      for (const address of [...badType, ...badRange]) {
        const expected = caught(() => plugin.encode(address, ctx));
        const got = await encodeAsync(plugin, address, ctx).then(() => undefined, (err: unknown) => err);
        expect(got).toBeInstanceOf(Error);
        expect((got as Error).constructor).toBe((expected as Error).constructor);
        expect((got as Error).message).toBe((expected as Error).message);
      }
    });

    it('throws a TypeError naming the family and the caller for each badType address', () => {
      for (const address of badType) {
        const err = caught(() => plugin.encode(address, ctx));
        expect(err, `encode of a bad type: ${label(address)}`).toBeInstanceOf(TypeError);
        expect((err as Error).message).toContain(plugin.name);
        expect((err as Error).message).toContain(`${ctx.caller}()`);
      }
    });

    it('throws a RangeError naming the family and the caller for each badRange address', () => {
      for (const address of badRange) {
        const err = caught(() => plugin.encode(address, ctx));
        expect(err, `encode of an out-of-range value: ${label(address)}`).toBeInstanceOf(RangeError);
        expect((err as Error).message).toContain(plugin.name);
        expect((err as Error).message).toContain(`${ctx.caller}()`);
      }
    });

    it('throws nothing but TypeError, RangeError or OSError, whatever it is given', () => {
      for (const value of [...JUNK, ...mutations(good)]) {
        const verdict = encodeVerdict(plugin, value, ctx);
        expect(['ok', 'TypeError', 'RangeError', 'OSError'], `encode(${label(value)})`).toContain(verdict);
      }
    });

    it('decodes random bytes without throwing anything but an Error', () => {
      const next = prng(0x5eed ^ plugin.family);
      const scratch = Buffer.alloc(128);
      for (let r = 0; r < rounds; r++) {
        for (let i = 0; i < scratch.length; i++) scratch[i] = next() & 0xff;
        if (r % 2 === 0) {
          if (endianness() === 'LE') scratch.writeUInt16LE(plugin.family, 0);
          else scratch.writeUInt16BE(plugin.family, 0);
        }
        const length = 1 + (next() % scratch.length);
        try {
          plugin.decode(scratch, length, ctx);
        } catch (err) {
          expect(err).toBeInstanceOf(Error);
        }
      }
    });

    if (schema) {
      it('agrees with its zod schema on what to accept and how to fail', () => {
        const table: unknown[] = [...good.map((g) => g.address), ...badType, ...badRange, ...JUNK, ...mutations(good)];
        for (const value of table) {
          const byHand = encodeVerdict(plugin, value, ctx);
          if (byHand === 'OSError') continue;
          expect(byHand, `encode and schema differ on ${label(value)}`).toBe(schemaVerdict(schema, value));
        }
      });
    }
  });
}
