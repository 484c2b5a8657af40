/**
 * @bsdsock/hyperv (work in progress).
 *
 * @packageDocumentation
 */
export {};
