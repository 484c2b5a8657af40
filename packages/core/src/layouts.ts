/**
 * sizeof / offsetof of the kernel's sockaddr structures, read from the
 * system headers when the addon was compiled, so that TypeScript codecs
 * never hard-code a layout.
 *
 * @packageDocumentation
 */
import { binding } from './binding.js';

/** Every layout value the addon knows, keyed `struct` (its size) or `struct.field` (its offset). */
export const layouts: Readonly<Record<string, number>> = binding.layouts;

/**
 * One layout value, e.g. `layout('sockaddr_in6.sin6_scope_id')`; throws if
 * the platform's headers lack that structure.
 */
export function layout(key: string): number {
  const v = layouts[key];
  if (v === undefined) throw new Error(`bsdsock: this platform has no layout for ${key}`);
  return v;
}
