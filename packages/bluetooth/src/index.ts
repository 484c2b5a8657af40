/**
 * @bsdsock/bluetooth (work in progress).
 *
 * @packageDocumentation
 */
export {};
