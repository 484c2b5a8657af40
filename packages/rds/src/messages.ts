/**
 * Error-message pieces: how a bad value is shown, and the `caller(): `
 * prefix Python starts its address errors with.
 *
 * @internal
 * @packageDocumentation
 */
import { inspect } from 'node:util';
import type { AddressContext } from '@bsdsock/core';

const MAX_SHOWN = 80;

/** A one-line rendering of what the caller gave: strings quoted, numbers as written, the rest as `util.inspect` shows it. */
export function show(value: unknown): string {
  if (typeof value === 'number') return Object.is(value, -0) ? '-0' : String(value);
  let text: string;
  try {
    text = typeof value === 'string'
      ? JSON.stringify(value)
      : inspect(value, { depth: 1, breakLength: Infinity, maxArrayLength: 8, maxStringLength: MAX_SHOWN });
  } catch {
    text = Object.prototype.toString.call(value);
  }
  return text.length > MAX_SHOWN ? `${text.slice(0, MAX_SHOWN)}…` : text;
}

/** `bind(): `, or nothing when there is no caller. */
export function prefix(ctx: AddressContext | undefined): string {
  return ctx?.caller ? `${ctx.caller}(): ` : '';
}
