/**
 * @bsdsock/vsock (work in progress).
 *
 * @packageDocumentation
 */
export {};
