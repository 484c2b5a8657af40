/**
 * Symbols shared by the Socket class and the modules that extend it
 * (makefile streams), kept apart to avoid an import cycle.
 *
 * @internal
 * @packageDocumentation
 */

/** A stream made by makefile() takes a reference on its socket (Python's `_io_refs`). */
export const kIoRef = Symbol('bsdsock.ioRef');
/** A stream made by makefile() was closed: it drops its reference. */
export const kIoUnref = Symbol('bsdsock.ioUnref');
