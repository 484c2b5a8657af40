/**
 * @bsdsock/tipc (work in progress).
 *
 * @packageDocumentation
 */
export {};
