import { readJpeg } from '../applications/jpeg.ts';

/** Photos of a fault (issue 5 item 4): JPEG or PNG, recognised by their bytes, not by what the client says. */

export const PHOTO_MAX_BYTES = 2 * 1024 * 1024;
export const PHOTOS_PER_TICKET_MAX = 10;

const PNG_MAGIC = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

export type PhotoType = 'image/jpeg' | 'image/png';

export type PhotoCheck = { ok: true; contentType: PhotoType; width: number; height: number } | { ok: false; reason: 'TOO_LARGE' | 'EMPTY' | 'NOT_AN_IMAGE'; detail: string };

/** PNG: the signature, then an IHDR chunk of 13 bytes with a non-zero size. */
function readPng(buf: Buffer): { width: number; height: number } | null {
  if (buf.length < 8 + 8 + 13 + 4 || !buf.subarray(0, 8).equals(PNG_MAGIC)) return null;
  if (buf.readUInt32BE(8) !== 13 || buf.toString('latin1', 12, 16) !== 'IHDR') return null;
  const width = buf.readUInt32BE(16);
  const height = buf.readUInt32BE(20);
  return width > 0 && height > 0 ? { width, height } : null;
}

export function checkPhoto(buf: Buffer): PhotoCheck {
  if (buf.length === 0) return { ok: false, reason: 'EMPTY', detail: 'the file is empty' };
  if (buf.length > PHOTO_MAX_BYTES) return { ok: false, reason: 'TOO_LARGE', detail: `${buf.length} bytes` };
  const png = readPng(buf);
  if (png) return { ok: true, contentType: 'image/png', ...png };
  const jpeg = readJpeg(buf);
  if (jpeg) return { ok: true, contentType: 'image/jpeg', width: jpeg.width, height: jpeg.height };
  return { ok: false, reason: 'NOT_AN_IMAGE', detail: 'the bytes are neither a JPEG nor a PNG image' };
}
