/**
 * Applicant photo rules, checked in the browser before sending (the server checks again and answers
 * PHOTO_NOT_JPEG / PHOTO_SIZE_INVALID). Assumed: 1 KB = 1024 bytes, exactly 358×441 pixels.
 */
export const PHOTO_MIN_BYTES = 15 * 1024;
export const PHOTO_MAX_BYTES = 100 * 1024;
export const PHOTO_WIDTH = 358;
export const PHOTO_HEIGHT = 441;

export type PhotoProblem =
  | { kind: 'notJpeg' }
  | { kind: 'size'; bytes: number }
  | { kind: 'dimensions'; width: number; height: number }
  | { kind: 'unreadable' };

export interface CheckedPhoto {
  base64: string;
  /** blob: URL for the preview; revoke it when done */
  previewUrl: string;
  bytes: number;
}

function isJpeg(bytes: Uint8Array): boolean {
  return bytes.length > 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff;
}

function toBase64(bytes: Uint8Array): string {
  let bin = '';
  const CHUNK = 0x8000;
  for (let i = 0; i < bytes.length; i += CHUNK) bin += String.fromCharCode(...bytes.subarray(i, i + CHUNK));
  return btoa(bin);
}

function imageSize(url: string): Promise<{ width: number; height: number }> {
  return new Promise((resolve, reject) => {
    const img = new Image();
    img.onload = () => resolve({ width: img.naturalWidth, height: img.naturalHeight });
    img.onerror = () => reject(new Error('unreadable'));
    img.src = url;
  });
}

export async function checkPhoto(file: File): Promise<{ ok: true; photo: CheckedPhoto } | { ok: false; problem: PhotoProblem }> {
  const bytes = new Uint8Array(await file.arrayBuffer());
  if (!isJpeg(bytes) || !/^image\/(jpeg|pjpeg)$/.test(file.type || 'image/jpeg')) return { ok: false, problem: { kind: 'notJpeg' } };
  if (bytes.length < PHOTO_MIN_BYTES || bytes.length > PHOTO_MAX_BYTES) return { ok: false, problem: { kind: 'size', bytes: bytes.length } };
  const previewUrl = URL.createObjectURL(new Blob([bytes], { type: 'image/jpeg' }));
  let size: { width: number; height: number };
  try {
    size = await imageSize(previewUrl);
  } catch {
    URL.revokeObjectURL(previewUrl);
    return { ok: false, problem: { kind: 'unreadable' } };
  }
  if (size.width !== PHOTO_WIDTH || size.height !== PHOTO_HEIGHT) {
    URL.revokeObjectURL(previewUrl);
    return { ok: false, problem: { kind: 'dimensions', ...size } };
  }
  return { ok: true, photo: { base64: toBase64(bytes), previewUrl, bytes: bytes.length } };
}
