/**
 * @bsdsock/alg (work in progress).
 *
 * @packageDocumentation
 */
export {};
