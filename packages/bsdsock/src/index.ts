/**
 * `bsdsock`: Python's `socket` module for Node.js, in one flat namespace.
 *
 * Re-exports `@bsdsock/core` and every family package, so that
 * `import * as socket from 'bsdsock'` reads like Python's `import socket`.
 * Importing this module registers every family with core.
 *
 * @packageDocumentation
 */
export * from '@bsdsock/core';
export * from '@bsdsock/inet';
export * from '@bsdsock/unix';
export * from '@bsdsock/packet';
export * from '@bsdsock/netlink';
export * from '@bsdsock/can';
export * from '@bsdsock/alg';
export * from '@bsdsock/tipc';
export * from '@bsdsock/vsock';
export * from '@bsdsock/bluetooth';
export * from '@bsdsock/hyperv';
export * from '@bsdsock/rds';
export * from '@bsdsock/qipcrtr';
