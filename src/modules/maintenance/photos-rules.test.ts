import { describe, expect, it } from 'vitest';
import { checkPhoto, PHOTO_MAX_BYTES } from './photos-rules.ts';

/** A 1×1 PNG and the smallest baseline JPEG frame header the reader accepts. */
const PNG_1X1 = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64');
const JPEG = Buffer.from([0xff, 0xd8, 0xff, 0xc0, 0x00, 0x0b, 0x08, 0x00, 0x02, 0x00, 0x03, 0x01, 0x01, 0x11, 0x00, 0xff, 0xd9]);

describe('ticket photo check', () => {
  it('recognises PNG and JPEG by their bytes', () => {
    expect(checkPhoto(PNG_1X1)).toEqual({ ok: true, contentType: 'image/png', width: 1, height: 1 });
    expect(checkPhoto(JPEG)).toEqual({ ok: true, contentType: 'image/jpeg', width: 3, height: 2 });
  });

  it('refuses what is not an image, a truncated PNG, an empty or an oversized file', () => {
    expect(checkPhoto(Buffer.from('%PDF-1.7 not a photo'))).toMatchObject({ ok: false, reason: 'NOT_AN_IMAGE' });
    expect(checkPhoto(PNG_1X1.subarray(0, 20))).toMatchObject({ ok: false, reason: 'NOT_AN_IMAGE' });
    expect(checkPhoto(Buffer.alloc(0))).toMatchObject({ ok: false, reason: 'EMPTY' });
    const big = Buffer.concat([PNG_1X1, Buffer.alloc(PHOTO_MAX_BYTES)]);
    expect(checkPhoto(big)).toMatchObject({ ok: false, reason: 'TOO_LARGE' });
  });
});
