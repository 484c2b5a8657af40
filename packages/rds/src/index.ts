/**
 * @bsdsock/rds (work in progress).
 *
 * @packageDocumentation
 */
export {};
