/**
 * Node streams over a Socket: Python's `socket.makefile`.
 *
 * A stream reads with the socket's Promise `recv` and writes with its
 * Promise `sendall`, so it never blocks the event loop and behaves the same
 * whatever the socket's mode (blocking, non-blocking or timeout); Node's
 * stream machinery provides the buffering and backpressure
 * (`highWaterMark`) that Python's `BufferedReader` / `BufferedWriter` do.
 * A socket timeout > 0 bounds each recv / sendall the stream waits on and
 * surfaces as the stream's `'error'` (a `TimeoutError`); like every Node
 * stream error, it destroys the stream.
 *
 * Python's file calls and their Node counterparts:
 *
 * | Python | Node stream |
 * |---|---|
 * | `f.read(n)`, `f.readline()`, iteration | `read(n)`, `node:readline`, `for await`, `'data'` |
 * | `f.write(b)`, `f.flush()` | `write(chunk)`, the write callback / `'drain'` |
 * | `f.close()` | `destroy()` — drops the stream's reference, shuts nothing down |
 * | end of input (`read()` returns `b''`) | `'end'`, then the stream destroys itself |
 * | `f.readable()`, `f.writable()`, `f.closed` | `readable`, `writable`, `destroyed` / `closed` |
 * | `f.mode`, `f.name`, `f.fileno()` | the same: {@link SocketStream} |
 *
 * Lifetime, as Python's `_io_refs`: each stream holds a reference on its
 * socket from creation until it is destroyed (Node destroys a stream by
 * itself once it has ended and finished; a stream garbage-collected
 * undestroyed drops its reference then). `sock.close()` while streams are
 * alive only marks the socket closed; the fd is closed when the last of
 * them is destroyed. Data a reading stream received ahead of its consumer
 * is lost when it is destroyed, as with Python's buffered files; a recv it
 * was still waiting on is withdrawn, so nothing more is taken from the
 * socket.
 *
 * What does not carry over from Python: `buffering` (a Node stream is
 * always buffered; `highWaterMark` sets how much), and so
 * `makefile('rb', 0)`'s raw `SocketIO` — two unbuffered files reading
 * alternately, line by line, have no stream equivalent (a stream reads
 * ahead); `None` from a read or write on a non-blocking socket (a stream
 * waits for readiness; backpressure is `read()` returning `null` and
 * `write()` returning `false`); `errors` (malformed text decodes to U+FFFD,
 * Python's `errors='replace'`); `'cannot read from timed out object'` (a
 * timed-out stream is destroyed, so nothing reads from it again).
 *
 * @see https://docs.python.org/3/library/socket.html#socket.socket.makefile
 * @packageDocumentation
 */
import { constants as osConstants } from 'node:os';
import { Duplex, Readable, Writable } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';
import { binding } from './binding.js';
import { EBADF, OSError, fromErrno } from './errors.js';
import type { Socket } from './socket.js';
import { kIoRef, kIoUnref } from './symbols.js';
import { typeName } from './validators.js';

const SHUT_WR = (binding.constants as Record<string, number>).SHUT_WR!;
const ENOTCONN = osConstants.errno.ENOTCONN;

/** Bytes asked of one recv: a large read, copied once out of the socket's scratch buffer. */
const RECV_SIZE = 65536;

/** The newline values Python's TextIOWrapper accepts. */
const NEWLINES = new Set([null, '', '\n', '\r', '\r\n']);

/**
 * Options of {@link Socket.makefile}: Python's keyword arguments that map
 * onto a Node stream, and Node's own. Python's `buffering` and `errors`
 * have no equivalent (see the module's documentation).
 */
export interface MakefileOptions {
  /**
   * The text encoding of a text mode (no `'b'`), default `'utf8'`: bytes
   * received are decoded with it (a character split between two reads is
   * joined), strings written are encoded with it. Any encoding
   * `Buffer.isEncoding` accepts. Ignored in binary mode, as Python's
   * makefile ignores it.
   */
  encoding?: BufferEncoding;
  /**
   * Python's `newline` for a text mode, default `null`: universal newlines —
   * `'\r\n'` and `'\r'` read arrive as `'\n'`. `''` and `'\n'` translate
   * nothing; `'\r'` and `'\r\n'` read untranslated and turn every `'\n'`
   * written into that sequence. Ignored in binary mode.
   */
  newline?: string | null;
  /**
   * Node's stream buffer size (both sides of a Duplex): how much a reading
   * stream receives ahead of its consumer (in bytes, or in characters once
   * decoded in a text mode, as Node counts strings), and how many bytes a
   * writing stream queues before `write()` returns `false`. One recv asks
   * for up to 64 KiB whatever the mark. Default: Node's default
   * (`stream.getDefaultHighWaterMark(false)`).
   */
  highWaterMark?: number;
  /**
   * Mode `'rw'` only: whether the Duplex stays writable after the peer
   * ended its side (Node's `allowHalfOpen`), default `true`, so that a
   * reply can still be written after reading a request to its end. With
   * `false` the stream ends its writing side (and so shuts down the
   * socket's write half) when the reading side ends, as a `net.Socket`
   * does by default.
   */
  allowHalfOpen?: boolean;
  /**
   * Modes with `'w'`: whether `end()` shuts down the socket's write half
   * (shutdown(2) with SHUT_WR) once every byte written was sent, so that
   * the peer reads end-of-file, as `end()` on a `net.Socket` does. Default
   * `true`. With `false`, `end()` only flushes, as closing a Python file
   * does. Destroying a stream never shuts anything down.
   */
  shutdownOnEnd?: boolean;
}

/** What every makefile stream adds to its Node stream class. */
export interface SocketStream {
  /** The mode as Python's file objects report it: `'r'`, `'rb'`, `'w'`, `'wb'`, `'rw'`, `'rwb'`. */
  readonly mode: string;
  /** Python's `name`: the socket's fd while the stream is open, -1 once it is destroyed. */
  readonly name: number;
  /** The socket's fd; throws once the stream is destroyed (Python: ValueError on a closed file). */
  fileno(): number;
}

/** The state a makefile stream shares between its reading and writing halves. */
class StreamCore {
  readonly abort = new AbortController();
  readonly decoder: StringDecoder | undefined;
  /** Universal newlines: a `'\r'` that ended the last decoded text, held back until the next character. */
  private heldCR = false;
  private released = false;

  constructor(
    readonly sock: Socket,
    readonly mode: string,
    readonly text: boolean,
    readonly encoding: BufferEncoding,
    readonly newline: string | null,
    readonly shutdownOnEnd: boolean,
  ) {
    this.decoder = text ? new StringDecoder(encoding) : undefined;
  }

  /** The text of received bytes (text mode), newlines translated. */
  decode(buf: Buffer): string {
    return this.translate(this.decoder!.write(buf), false);
  }

  /** What the decoder still holds at end-of-file. */
  flush(): string {
    return this.translate(this.decoder!.end(), true);
  }

  private translate(s: string, last: boolean): string {
    if (this.newline !== null) return s;
    if (this.heldCR) {
      s = `\r${s}`;
      this.heldCR = false;
    }
    if (!last && s.endsWith('\r')) {
      this.heldCR = true;
      s = s.slice(0, -1);
    }
    return s.replace(/\r\n?/g, '\n');
  }

  /** The bytes of one chunk written. */
  encode(chunk: unknown, encoding: BufferEncoding | 'buffer'): Buffer {
    if (typeof chunk === 'string') {
      if (this.text && (this.newline === '\r' || this.newline === '\r\n')) chunk = chunk.replace(/\n/g, this.newline);
      return Buffer.from(chunk as string, encoding === 'buffer' ? this.encoding : encoding);
    }
    return chunk as Buffer;
  }

  /** Drops the stream's reference on the socket (once) and cancels its waiting recv / sendall. */
  release(): unknown {
    if (this.released) return undefined;
    this.released = true;
    this.abort.abort(new OSError('makefile stream destroyed'));
    streamFinalizer.unregister(this);
    try {
      this.sock[kIoUnref]();
    } catch (err) {
      // The deferred close(2) failed: report it as the stream's error.
      return err;
    }
    return undefined;
  }
}

/**
 * A stream that is garbage-collected without having been destroyed drops
 * its reference then (as Python's file objects do when they are freed).
 */
const streamFinalizer = new FinalizationRegistry<Socket>((sock) => {
  try {
    sock[kIoUnref]();
  } catch {
    // close(2) failed for a socket nobody can reach any more.
  }
});

/** Receives one chunk and pushes it (or end-of-file); errors destroy the stream. */
function readChunk(stream: Readable, core: StreamCore): void {
  core.sock.recv(RECV_SIZE, { signal: core.abort.signal }).then(
    (buf) => {
      if (stream.destroyed) return;
      if (buf.length === 0) {
        if (core.text) {
          const tail = core.flush();
          if (tail.length > 0) stream.push(tail, 'utf8');
        }
        stream.push(null);
      } else if (!core.text) {
        stream.push(buf);
      } else {
        const s = core.decode(buf);
        // Only part of a character (or a held '\r') so far: read on.
        if (s.length === 0) readChunk(stream, core);
        else stream.push(s, 'utf8');
      }
    },
    (err: unknown) => {
      if (!stream.destroyed) stream.destroy(err as Error);
    },
  );
}

function writeChunk(core: StreamCore, data: Buffer, callback: (error?: Error | null) => void): void {
  core.sock.sendall(data, { signal: core.abort.signal }).then(() => callback(), callback);
}

function writeChunks(
  core: StreamCore,
  chunks: { chunk: unknown; encoding: BufferEncoding }[],
  callback: (error?: Error | null) => void,
): void {
  const parts = chunks.map(({ chunk, encoding }) => core.encode(chunk, encoding));
  writeChunk(core, parts.length === 1 ? parts[0]! : Buffer.concat(parts), callback);
}

function finalChunk(core: StreamCore, callback: (error?: Error | null) => void): void {
  if (core.shutdownOnEnd) {
    try {
      core.sock.shutdown(SHUT_WR);
    } catch (err) {
      // The connection is already gone: there is nothing left to shut down.
      if (!(err instanceof OSError && err.errno === ENOTCONN)) {
        callback(err as Error);
        return;
      }
    }
  }
  callback();
}

function destroyCore(core: StreamCore, err: Error | null, callback: (error?: Error | null) => void): void {
  const closeErr = core.release();
  callback(err ?? (closeErr as Error | undefined) ?? null);
}

function fdOf(core: StreamCore, destroyed: boolean): number {
  if (destroyed) {
    throw Object.assign(new Error('I/O operation on closed file.'), { code: 'ERR_STREAM_DESTROYED' });
  }
  return core.sock.fileno();
}

/** A makefile stream for reading (`'r'`, `'rb'`): a Node Readable of Buffers, or strings in text mode. */
export type SocketReadable = Readable & SocketStream;

/**
 * A makefile stream for writing (`'w'`, `'wb'`): a Node Writable of
 * Buffers, Uint8Arrays and strings (encoded with the stream's encoding in
 * a text mode, UTF-8 by default in a binary one).
 */
export type SocketWritable = Writable & SocketStream;

/**
 * A makefile stream for both directions (`'rw'`, `'rwb'`): a Node Duplex.
 * `end()` shuts down the socket's write half once everything written was
 * sent (see {@link MakefileOptions.shutdownOnEnd}); the reading side goes
 * on until the peer ends its own.
 */
export type SocketDuplex = Duplex & SocketStream;

class ReadStream extends Readable implements SocketStream {
  readonly #core: StreamCore;

  constructor(core: StreamCore, highWaterMark: number | undefined) {
    super({ highWaterMark, encoding: core.text ? 'utf8' : undefined });
    this.#core = core;
  }

  get mode(): string {
    return this.#core.mode;
  }

  get name(): number {
    return this.destroyed ? -1 : this.#core.sock.fileno();
  }

  fileno(): number {
    return fdOf(this.#core, this.destroyed);
  }

  override _read(): void {
    readChunk(this, this.#core);
  }

  override _destroy(err: Error | null, callback: (error?: Error | null) => void): void {
    destroyCore(this.#core, err, callback);
  }
}

class WriteStream extends Writable implements SocketStream {
  readonly #core: StreamCore;

  constructor(core: StreamCore, highWaterMark: number | undefined) {
    super({ highWaterMark, decodeStrings: false, defaultEncoding: core.text ? core.encoding : 'utf8' });
    this.#core = core;
  }

  get mode(): string {
    return this.#core.mode;
  }

  get name(): number {
    return this.destroyed ? -1 : this.#core.sock.fileno();
  }

  fileno(): number {
    return fdOf(this.#core, this.destroyed);
  }

  override _write(chunk: unknown, encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    writeChunk(this.#core, this.#core.encode(chunk, encoding), callback);
  }

  override _writev(chunks: { chunk: unknown; encoding: BufferEncoding }[], callback: (error?: Error | null) => void): void {
    writeChunks(this.#core, chunks, callback);
  }

  override _final(callback: (error?: Error | null) => void): void {
    finalChunk(this.#core, callback);
  }

  override _destroy(err: Error | null, callback: (error?: Error | null) => void): void {
    destroyCore(this.#core, err, callback);
  }
}

class DuplexStream extends Duplex implements SocketStream {
  readonly #core: StreamCore;

  constructor(core: StreamCore, highWaterMark: number | undefined, allowHalfOpen: boolean) {
    super({
      highWaterMark,
      allowHalfOpen,
      decodeStrings: false,
      defaultEncoding: core.text ? core.encoding : 'utf8',
      encoding: core.text ? 'utf8' : undefined,
    });
    this.#core = core;
  }

  get mode(): string {
    return this.#core.mode;
  }

  get name(): number {
    return this.destroyed ? -1 : this.#core.sock.fileno();
  }

  fileno(): number {
    return fdOf(this.#core, this.destroyed);
  }

  override _read(): void {
    readChunk(this, this.#core);
  }

  override _write(chunk: unknown, encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    writeChunk(this.#core, this.#core.encode(chunk, encoding), callback);
  }

  override _writev(chunks: { chunk: unknown; encoding: BufferEncoding }[], callback: (error?: Error | null) => void): void {
    writeChunks(this.#core, chunks, callback);
  }

  override _final(callback: (error?: Error | null) => void): void {
    finalChunk(this.#core, callback);
  }

  override _destroy(err: Error | null, callback: (error?: Error | null) => void): void {
    destroyCore(this.#core, err, callback);
  }
}

/** Python's `repr()` of a string, for messages: `'x'`, or `"it's"`. */
function pyRepr(s: string): string {
  const q = s.includes("'") && !s.includes('"') ? '"' : "'";
  let out = '';
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    if (ch === '\\' || ch === q) out += `\\${ch}`;
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (c < 0x20 || c === 0x7f) out += `\\x${c.toString(16).padStart(2, '0')}`;
    else out += ch;
  }
  return `${q}${out}${q}`;
}

function checkOption<T>(
  options: Record<string, unknown>, key: string, type: string, ok: (v: unknown) => v is T,
): T | undefined {
  const v = options[key];
  if (v === undefined) return undefined;
  if (!ok(v)) throw new TypeError(`makefile(): options.${key} must be ${type}, not ${typeName(v)}`);
  return v;
}

const isBool = (v: unknown): v is boolean => typeof v === 'boolean';
const isString = (v: unknown): v is string => typeof v === 'string';
const isNumber = (v: unknown): v is number => typeof v === 'number';
const isNewline = (v: unknown): v is string | null => v === null || typeof v === 'string';

/**
 * Builds the stream of {@link Socket.makefile}: validates `mode` and
 * `options` as Python does, then takes a reference on the socket. A closed
 * socket raises OSError EBADF at once (Python returns a file that raises it
 * on first use).
 *
 * @internal
 */
export function makeStream(
  sock: Socket, mode: string = 'r', options: MakefileOptions = {},
): SocketReadable | SocketWritable | SocketDuplex {
  // Python hands out a file that fails on first use; failing at once is kinder.
  if (sock.fileno() < 0) throw fromErrno(EBADF, 'makefile');
  if (typeof mode !== 'string') throw new TypeError(`makefile(): mode must be a string, not ${typeName(mode)}`);
  for (const ch of mode) {
    if (ch !== 'r' && ch !== 'w' && ch !== 'b') {
      throw new RangeError(`invalid mode ${pyRepr(mode)} (only r, w, b allowed)`);
    }
  }
  if (options === null || typeof options !== 'object') {
    throw new TypeError(`makefile(): options must be an object, not ${typeName(options)}`);
  }
  const opts = options as Record<string, unknown>;
  const encoding = checkOption(opts, 'encoding', 'a string', isString) ?? 'utf8';
  const newline = checkOption(opts, 'newline', 'a string or null', isNewline) ?? null;
  const hwm = checkOption(opts, 'highWaterMark', 'a number', isNumber);
  const allowHalfOpen = checkOption(opts, 'allowHalfOpen', 'a boolean', isBool) ?? true;
  const shutdownOnEnd = checkOption(opts, 'shutdownOnEnd', 'a boolean', isBool) ?? true;

  const writing = mode.includes('w');
  const reading = mode.includes('r') || !writing;
  const binary = mode.includes('b');
  if (!binary) {
    if (!Buffer.isEncoding(encoding)) throw new RangeError(`unknown encoding: ${encoding}`);
    if (!NEWLINES.has(newline)) throw new RangeError(`illegal newline value: ${pyRepr(newline!)}`);
  }
  if (hwm !== undefined && !(Number.isInteger(hwm) && hwm >= 0)) {
    throw new RangeError(`makefile(): options.highWaterMark must be a non-negative integer, got ${hwm}`);
  }
  // Python: a text file reports the mode as given, a binary one its raw mode.
  const shown = binary ? `${reading ? 'r' : ''}${writing ? 'w' : ''}b` : mode;
  const core = new StreamCore(sock, shown, !binary, encoding as BufferEncoding, newline, shutdownOnEnd);

  let stream: SocketReadable | SocketWritable | SocketDuplex;
  if (reading && writing) stream = new DuplexStream(core, hwm, allowHalfOpen);
  else if (reading) stream = new ReadStream(core, hwm);
  else stream = new WriteStream(core, hwm);
  sock[kIoRef]();
  streamFinalizer.register(stream, sock, core);
  return stream;
}
