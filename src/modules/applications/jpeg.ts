/** What the photo check needs from a JPEG: that it is one, and its frame size. */
export interface JpegInfo {
  width: number;
  height: number;
  progressive: boolean;
}

// Markers without a length field: TEM and RST0–7 (SOI/EOI are handled separately).
const STANDALONE = new Set([0x01, 0xd0, 0xd1, 0xd2, 0xd3, 0xd4, 0xd5, 0xd6, 0xd7]);

/**
 * Reads a JPEG's SOF0 (baseline) or SOF2 (progressive) frame header. Returns null when the bytes do
 * not start with SOI, do not end with EOI, or have no such frame before the image data: other SOF
 * types (lossless, arithmetic) are not accepted by card printers either.
 */
export function readJpeg(buf: Uint8Array): JpegInfo | null {
  if (buf.length < 4 || buf[0] !== 0xff || buf[1] !== 0xd8) return null;
  // Some encoders pad after EOI; allow trailing zero bytes only.
  let end = buf.length;
  while (end > 2 && buf[end - 1] === 0x00) end--;
  if (buf[end - 2] !== 0xff || buf[end - 1] !== 0xd9) return null;
  let i = 2;
  while (i + 4 <= end) {
    if (buf[i] !== 0xff) return null;
    let marker = buf[i + 1]!;
    // Fill bytes: any number of 0xFF before a marker.
    while (marker === 0xff && i + 2 < end) {
      i++;
      marker = buf[i + 1]!;
    }
    if (STANDALONE.has(marker)) {
      i += 2;
      continue;
    }
    if (marker === 0xd9 || marker === 0xda) return null; // EOI or start of scan before any frame header
    const length = (buf[i + 2]! << 8) | buf[i + 3]!;
    if (length < 2 || i + 2 + length > end) return null;
    if (marker === 0xc0 || marker === 0xc2) {
      if (length < 8) return null;
      const height = (buf[i + 5]! << 8) | buf[i + 6]!;
      const width = (buf[i + 7]! << 8) | buf[i + 8]!;
      if (width === 0 || height === 0) return null;
      return { width, height, progressive: marker === 0xc2 };
    }
    i += 2 + length;
  }
  return null;
}
