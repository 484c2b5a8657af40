/**
 * How bad addresses are shown in error messages: the helpers every family
 * of this repository shares (`@bsdsock/core/internal`).
 *
 * @internal
 * @packageDocumentation
 */
export { prefix, show } from '@bsdsock/core/internal';
