/**
 * How the packet helpers show a bad value in an error message, and the
 * `caller(): ` prefix Python starts its address errors with.
 *
 * @internal
 * @packageDocumentation
 */
import { inspect } from 'node:util';
import type { AddressContext } from '@bsdsock/core';

const MAX_SHOWN = 80;

/** A one-line rendering of what the caller gave: strings quoted, numbers as written, the rest as `util.inspect` shows it. */
export function show(value: unknown): string {
  switch (typeof value) {
    case 'string':
      return JSON.stringify(value.length > MAX_SHOWN ? `${value.slice(0, MAX_SHOWN)}…` : value);
    case 'number':
      return Object.is(value, -0) ? '-0' : String(value);
    case 'bigint':
      return `${value}n`;
    case 'symbol':
      return value.toString();
    case 'function':
      return 'function';
    case 'undefined':
    case 'boolean':
      return String(value);
    default: {
      let text: string;
      try {
        text = inspect(value, { depth: 1, breakLength: Infinity, maxArrayLength: 8, maxStringLength: MAX_SHOWN });
      } catch {
        text = Object.prototype.toString.call(value);
      }
      return text.length > MAX_SHOWN ? `${text.slice(0, MAX_SHOWN)}…` : text;
    }
  }
}

/** `bind(): `, or nothing when there is no caller. */
export function prefix(ctx: AddressContext | undefined): string {
  return ctx?.caller ? `${ctx.caller}(): ` : '';
}
