/**
 * MSG-30: ancillary data that the kernel never produces on Linux, parsed as
 * CPython parses it: a control message whose cmsg_len runs past the data
 * received is returned shortened to the bytes available, a header that is
 * cut off ends the list, and either way Python's RuntimeWarning "received
 * malformed or improperly-truncated ancillary data" is emitted (as a Node
 * process warning of that name).
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CMSG_LEN, CMSG_SPACE, parseAncillary } from './cmsg.js';
import { layout } from './layouts.js';

const HDR = CMSG_LEN(0);
const LEN_OFF = layout('cmsghdr.cmsg_len');
const LEN_SIZE = layout('cmsghdr.cmsg_len.size');
const LEVEL_OFF = layout('cmsghdr.cmsg_level');
const TYPE_OFF = layout('cmsghdr.cmsg_type');

/** One control message's bytes as the kernel lays it out (host byte order), padded to CMSG_SPACE. */
function cmsg(level: number, type: number, data: Buffer, cmsgLen = CMSG_LEN(data.length)): Buffer {
  const b = Buffer.alloc(CMSG_SPACE(data.length));
  if (LEN_SIZE === 8) b.writeBigUInt64LE(BigInt(cmsgLen), LEN_OFF);
  else b.writeUInt32LE(cmsgLen, LEN_OFF);
  b.writeInt32LE(level, LEVEL_OFF);
  b.writeInt32LE(type, TYPE_OFF);
  data.copy(b, HDR);
  return b;
}

let warnings: Error[] = [];
const onWarning = (w: Error): void => {
  warnings.push(w);
};
beforeEach(() => {
  warnings = [];
  process.on('warning', onWarning);
});
afterEach(() => {
  process.off('warning', onWarning);
});

/** Lets the process emit the warnings queued with process.emitWarning. */
const tick = (): Promise<void> => new Promise((r) => setImmediate(r));

describe('parseAncillary (MSG-30)', () => {
  it('well-formed items come back whole, with no warning', async () => {
    const data = Buffer.concat([cmsg(1, 2, Buffer.from('abcd')), cmsg(3, 4, Buffer.from('xyz'))]);
    expect(parseAncillary(data, data.length)).toEqual([[1, 2, Buffer.from('abcd')], [3, 4, Buffer.from('xyz')]]);
    await tick();
    expect(warnings).toEqual([]);
  });

  it('a cmsg_len past the bytes received: the available bytes as a shortened item, a RuntimeWarning, no more items', async () => {
    const first = cmsg(1, 2, Buffer.from('12345678'), CMSG_LEN(64));
    const data = Buffer.concat([first, cmsg(3, 4, Buffer.from('never'))]);
    const length = HDR + 8; // the kernel said it wrote this much
    expect(parseAncillary(data, length)).toEqual([[1, 2, Buffer.from('12345678')]]);
    await tick();
    expect(warnings.map((w) => [w.name, w.message])).toEqual([
      ['RuntimeWarning', 'received malformed or improperly-truncated ancillary data'],
    ]);
  });

  it('a header cut off after a whole item: the whole item only, silently (glibc\'s CMSG_NXTHDR ends the list)', async () => {
    await tick();
    const whole = cmsg(1, 2, Buffer.from('ok'));
    const data = Buffer.concat([whole, Buffer.alloc(HDR)]);
    expect(parseAncillary(data, whole.length + HDR - 1)).toEqual([[1, 2, Buffer.from('ok')]]);
    await tick();
    expect(warnings).toEqual([]);
  });

  it('a cmsg_len shorter than a header: a RuntimeWarning and nothing from there on', async () => {
    const data = Buffer.concat([cmsg(1, 2, Buffer.from('ok')), cmsg(5, 6, Buffer.alloc(4), HDR - 1)]);
    expect(parseAncillary(data, data.length)).toEqual([[1, 2, Buffer.from('ok')]]);
    await tick();
    expect(warnings.map((w) => w.name)).toEqual(['RuntimeWarning']);
  });
});
