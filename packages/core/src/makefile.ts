/**
 * Node streams over a Socket: Python's `socket.makefile`.
 *
 * @packageDocumentation
 */
import type { Duplex, Readable, Writable } from 'node:stream';
import type { Socket } from './socket.js';

/** Options of {@link Socket.makefile}. */
export interface MakefileOptions {
  /** Text encoding for text modes (default `'utf8'`). */
  encoding?: BufferEncoding;
}

/** Builds the stream for {@link Socket.makefile}. */
export function makeStream(_sock: Socket, _mode?: string, _options?: MakefileOptions): Readable | Writable | Duplex {
  throw new Error('makefile() is being written (issue 3)');
}
