import { describe, expect, it } from 'vitest';
import { CmppFrameSplitter } from './frames.ts';
import { bytes, caught } from '../test-support.ts';

const activeTest = bytes('0000000c', '00000008', '00000001');
const activeTestResp = bytes('0000000d', '80000008', '00000001', '00');

describe('CmppFrameSplitter', () => {
  it('waits for the rest of a frame split inside its header and inside its body', () => {
    const s = new CmppFrameSplitter();
    expect(s.push(activeTestResp.subarray(0, 3))).toEqual([]);
    expect(s.push(activeTestResp.subarray(3, 12))).toEqual([]);
    expect(s.buffered).toBe(12);
    expect(s.push(activeTestResp.subarray(12))).toEqual([activeTestResp]);
    expect(s.buffered).toBe(0);
  });

  it('returns several frames from one chunk and keeps the start of the next', () => {
    const s = new CmppFrameSplitter();
    const chunk = Buffer.concat([activeTest, activeTestResp, activeTest.subarray(0, 5)]);
    expect(s.push(chunk)).toEqual([activeTest, activeTestResp]);
    expect(s.push(activeTest.subarray(5))).toEqual([activeTest]);
  });

  it('returns copies, not views of a buffer the socket may reuse', () => {
    const s = new CmppFrameSplitter();
    const chunk = Buffer.from(activeTest);
    const [frame] = s.push(chunk);
    chunk.fill(0xff);
    expect(frame).toEqual(activeTest);
  });

  it('treats a Total_Length below the header size as a protocol error and closes', () => {
    const s = new CmppFrameSplitter();
    const e = caught(() => s.push(bytes('00000008', '00000008', '00000001')));
    expect(e.code).toBe('CMPP_FRAME_LENGTH_INVALID');
    expect(e.params).toMatchObject({ length: 8, min: 12 });
    expect(caught(() => s.push(activeTest)).code).toBe('CMPP_STREAM_CLOSED');
  });

  it('treats an absurd Total_Length as a protocol error without waiting for gigabytes', () => {
    const s = new CmppFrameSplitter();
    const e = caught(() => s.push(bytes('7fffffff')));
    expect(e.code).toBe('CMPP_FRAME_LENGTH_INVALID');
    expect(e.params).toMatchObject({ length: 0x7fff_ffff, max: 4096 });
    const small = new CmppFrameSplitter(100);
    expect(caught(() => small.push(bytes('00000065'))).code).toBe('CMPP_FRAME_LENGTH_INVALID');
  });

  it('hands over the frames completed before the bad header', () => {
    const s = new CmppFrameSplitter();
    const e = caught(() => s.push(Buffer.concat([activeTestResp, bytes('00000000', '00000000')])));
    expect(e.details).toEqual({ completedFrames: [activeTestResp] });
  });
});
