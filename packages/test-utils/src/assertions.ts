/**
 * The error a call throws or a promise rejects with, for tests that then
 * check its class, errno and message.
 *
 * @packageDocumentation
 */

/** The error `fn` throws; fails the test when it throws nothing. */
export function thrown(fn: () => unknown): Error {
  try {
    fn();
  } catch (err) {
    return err as Error;
  }
  throw new Error('expected a throw');
}

/** The error `promise` rejects with; fails the test when it fulfils. */
export async function rejection(promise: Promise<unknown>): Promise<Error> {
  return promise.then(
    () => {
      throw new Error('expected a rejection');
    },
    (err: unknown) => err as Error,
  );
}
