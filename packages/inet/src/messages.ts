/**
 * How bad addresses are shown in error messages.
 *
 * @internal
 * @packageDocumentation
 */
import { inspect } from 'node:util';
import type { AddressContext } from '@bsdsock/core';

const MAX_SHOWN = 80;

/**
 * A short, unambiguous rendering of a value the caller gave: strings in
 * double quotes, numbers as written, everything else as `util.inspect`
 * shows it on one line, cut at 80 characters.
 */
export function show(value: unknown): string {
  switch (typeof value) {
    case 'string':
      return JSON.stringify(value.length > MAX_SHOWN ? `${value.slice(0, MAX_SHOWN)}…` : value);
    case 'number':
      return Object.is(value, -0) ? '-0' : String(value);
    case 'bigint':
      return `${value}n`;
    case 'undefined':
    case 'boolean':
      return String(value);
    case 'symbol':
      return value.toString();
    case 'function':
      return 'function';
    default: {
      let s: string;
      try {
        s = inspect(value, { depth: 1, breakLength: Infinity, maxArrayLength: 8, maxStringLength: MAX_SHOWN });
      } catch {
        s = Object.prototype.toString.call(value);
      }
      return s.length > MAX_SHOWN ? `${s.slice(0, MAX_SHOWN)}…` : s;
    }
  }
}

/** `bind(): ` — the caller's name as Python starts its messages, or nothing. */
export function prefix(ctx: AddressContext | undefined): string {
  return ctx?.caller ? `${ctx.caller}(): ` : '';
}
