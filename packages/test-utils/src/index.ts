/**
 * `@bsdsock/test-utils` (private): what the packages' tests share — the
 * family conformance suite, fd-leak accounting and CPython as a peer.
 *
 * @packageDocumentation
 */
export * from './conformance.js';
export * from './fds.js';
export * from './python.js';
export * from './kernel.js';
export * from './outside-package.js';
export * from './assertions.js';
