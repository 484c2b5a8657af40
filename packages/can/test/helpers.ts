/**
 * What the pure tests beside the code (src/*.test.ts) share: golden bytes
 * written as hex, little-endian fields, and the check that each bad input
 * throws its class with its message.
 */
import { inspect } from 'node:util';
import { thrown } from '@bsdsock/test-utils';
import { expect } from 'vitest';

/** The bytes of a hex string; blanks between groups are ignored. */
export const hex = (s: string): Buffer => Buffer.from(s.replace(/\s+/g, ''), 'hex');

/** An i32 as little-endian hex. */
export function le32(n: number): string {
  const b = Buffer.alloc(4);
  b.writeInt32LE(n);
  return b.toString('hex');
}

/** A u64 as little-endian hex. */
export function le64(n: bigint): string {
  const b = Buffer.alloc(8);
  b.writeBigUInt64LE(n);
  return b.toString('hex');
}

/** A bad input, the class it must throw and a part of the message. */
export type ErrorCase = readonly [input: unknown, cls: ErrorConstructor | RangeErrorConstructor, message: string];

/** Each input given to `fn` throws its class, with its message in the error's. */
export function expectErrors(fn: (input: unknown) => unknown, cases: readonly ErrorCase[]): void {
  for (const [input, cls, message] of cases) {
    const err = thrown(() => fn(input));
    expect(err, inspect(input, { depth: 3, breakLength: Infinity })).toBeInstanceOf(cls);
    expect(err.message).toContain(message);
  }
}
