import { describe, expect, it } from 'vitest';
import { readJpeg } from './jpeg.ts';
import { checkPhoto, PHOTO_SPEC } from './rules.ts';
import { fakeJpeg } from '../../../test/helpers/jpeg.ts';
import { AppError } from '../../platform/errors/app-error.ts';

const codeOf = (fn: () => unknown) => {
  try {
    fn();
  } catch (err) {
    return err instanceof AppError ? err.code : 'OTHER';
  }
  return null;
};

describe('readJpeg', () => {
  it('reads the SOF0 frame size', () => {
    expect(readJpeg(fakeJpeg(358, 441))).toEqual({ width: 358, height: 441, progressive: false });
  });
  it('reads a progressive (SOF2) frame', () => {
    expect(readJpeg(fakeJpeg(640, 480, 30_000, 0xc2))).toEqual({ width: 640, height: 480, progressive: true });
  });
  it('refuses other frame types, PNG, truncated files and garbage', () => {
    expect(readJpeg(fakeJpeg(358, 441, 30_000, 0xc3))).toBeNull();
    expect(readJpeg(Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex'))).toBeNull();
    const whole = fakeJpeg();
    expect(readJpeg(whole.subarray(0, whole.length - 2))).toBeNull();
    expect(readJpeg(Buffer.from([0xff, 0xd8, 0xff, 0xd9]))).toBeNull();
    expect(readJpeg(Buffer.alloc(0))).toBeNull();
    const badLength = Buffer.from(whole);
    badLength.writeUInt16BE(0xffff, 4);
    expect(readJpeg(badLength)).toBeNull();
  });
  it('tolerates zero padding after EOI', () => {
    expect(readJpeg(Buffer.concat([fakeJpeg(), Buffer.alloc(16)]))).not.toBeNull();
  });
});

describe('checkPhoto', () => {
  it('accepts 358×441 between 15 and 100 KB', () => {
    expect(checkPhoto(fakeJpeg(358, 441, PHOTO_SPEC.minBytes))).toMatchObject({ width: 358 });
    expect(checkPhoto(fakeJpeg(358, 441, PHOTO_SPEC.maxBytes))).toMatchObject({ height: 441 });
  });
  it('names the problem', () => {
    expect(codeOf(() => checkPhoto(Buffer.from('not a jpeg')))).toBe('PHOTO_NOT_JPEG');
    expect(codeOf(() => checkPhoto(fakeJpeg(358, 441, PHOTO_SPEC.maxBytes + 1)))).toBe('PHOTO_SIZE_INVALID');
    expect(codeOf(() => checkPhoto(fakeJpeg(358, 441, PHOTO_SPEC.minBytes - 1)))).toBe('PHOTO_SIZE_INVALID');
    expect(codeOf(() => checkPhoto(fakeJpeg(400, 441)))).toBe('PHOTO_SIZE_INVALID');
  });
  it('puts the limits into the message', () => {
    try {
      checkPhoto(fakeJpeg(400, 500));
    } catch (err) {
      expect((err as AppError).messageIn('zh-CN')).toContain('358×441');
      expect((err as AppError).messageIn('en-US')).toContain('15–100 KB');
      expect((err as AppError).messageIn('en-US')).toContain('400×500');
    }
  });
});
