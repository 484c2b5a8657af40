/**
 * File-descriptor accounting for leak tests: count the fds this process
 * has open before and after a suite, and list them when the counts differ.
 *
 * @packageDocumentation
 */
import { readdirSync, readlinkSync } from 'node:fs';

const FD_DIR = '/proc/self/fd';

/**
 * The number of file descriptors this process has open (Linux: the entries
 * of /proc/self/fd, less the one the listing itself opens).
 *
 * @example
 * ```ts
 * const before = countOpenFds();
 * await runEverything();
 * expect(countOpenFds()).toBe(before);
 * ```
 */
export function countOpenFds(): number {
  return readdirSync(FD_DIR).length - 1;
}

/**
 * Each open fd with what it refers to (`socket:[1234]`, a path, `pipe:[..]`),
 * for the message of a failed leak check. The fd of the listing itself is
 * gone by the time it would be read, so it does not appear.
 */
export function listOpenFds(): Map<number, string> {
  const out = new Map<number, string>();
  for (const name of readdirSync(FD_DIR)) {
    try {
      out.set(Number(name), readlinkSync(`${FD_DIR}/${name}`));
    } catch {
      // Closed between the listing and the readlink: the listing's own fd.
    }
  }
  return out;
}
