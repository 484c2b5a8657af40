/**
 * How the AF_ALG helpers show a bad value in an error message, and the
 * `caller(): ` prefix Python starts its address errors with.
 *
 * @internal
 * @packageDocumentation
 */
import { inspect } from 'node:util';
import type { AddressContext } from '@bsdsock/core';

/** A one-line rendering of what the caller gave: strings quoted, the rest as `util.inspect` shows it. */
export function show(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value.length > 80 ? `${value.slice(0, 80)}…` : value);
  if (typeof value === 'bigint') return `${value}n`;
  let text: string;
  try {
    text = inspect(value, { depth: 1, breakLength: Infinity, maxArrayLength: 8, maxStringLength: 80 });
  } catch {
    text = Object.prototype.toString.call(value);
  }
  return text.length > 80 ? `${text.slice(0, 80)}…` : text;
}

/** `bind(): `, or nothing when there is no caller. */
export function prefix(ctx: AddressContext | undefined): string {
  return ctx?.caller ? `${ctx.caller}(): ` : '';
}
