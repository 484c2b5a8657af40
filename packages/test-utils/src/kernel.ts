/**
 * For the kernel-family tests (`packages/<pkg>/test/kernel/`): whether this
 * kernel can run them, and the Python peer that has every family. The rule
 * (CONTRIBUTING.md, "Tests that need a kernel family"): inside the kernel
 * lab a family the backend has is never skipped — if it is missing the
 * tests fail — and one it lacks is skipped with that reason; elsewhere the
 * tests run when this kernel has the family and are skipped with the
 * reason when it does not.
 *
 * @packageDocumentation
 */
import { OSError } from '@bsdsock/core';

/** Whether this process runs inside the kernel lab (scripts/kernel-lab). */
export const IN_KERNEL_LAB = process.env.BSDSOCK_KERNEL_LAB === '1';

/**
 * The Python with every family: Debian's `/usr/bin/python3` (the lab names
 * it in `BSDSOCK_KERNEL_LAB_PYTHON`); pyenv's builds may lack AF_BLUETOOTH.
 * Pass it as `executable` to the python helpers.
 */
export const LAB_PYTHON = process.env.BSDSOCK_KERNEL_LAB_PYTHON ?? '/usr/bin/python3';

/**
 * The `executable` of a Python peer that needs the lab's families: the
 * lab's python3 inside the kernel lab, the usual CPython 3.13 elsewhere
 * (where those tests only run when the host kernel has the family).
 */
export const LAB_PEER_PYTHON: string | undefined = IN_KERNEL_LAB ? LAB_PYTHON : undefined;

/**
 * Why the tests of `family` cannot run here, or `''` when they can.
 * `family` is a kernel-lab family name (`can`, `can_isotp`, `alg`, `tipc`,
 * `vsock`, `rds`, `bluetooth`, `qipcrtr`, ...); `probe` opens and closes a
 * socket of the family, throwing an OSError where the kernel lacks it.
 *
 * @example
 * ```ts
 * const why = kernelSkipReason('tipc', () => new Socket(AF_TIPC, SOCK_RDM).close());
 * describe.skipIf(why !== '')(`AF_TIPC${why && ` (skipped: ${why})`}`, () => { ... });
 * ```
 */
export function kernelSkipReason(family: string, probe: () => void): string {
  if (IN_KERNEL_LAB) {
    const has = (process.env.BSDSOCK_KERNEL_LAB_FAMILIES ?? '').split(',').includes(family);
    return has ? '' : `the ${process.env.BSDSOCK_KERNEL_LAB_BACKEND} kernel lab has no ${family}`;
  }
  try {
    probe();
    return '';
  } catch (err) {
    if (err instanceof OSError) return `this kernel lacks ${family} (${err.message}); run npm run test:kernel`;
    throw err;
  }
}
