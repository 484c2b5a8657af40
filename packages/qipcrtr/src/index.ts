/**
 * @bsdsock/qipcrtr (work in progress).
 *
 * @packageDocumentation
 */
export {};
