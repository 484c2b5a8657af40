/**
 * @bsdsock/can (work in progress).
 *
 * @packageDocumentation
 */
export {};
