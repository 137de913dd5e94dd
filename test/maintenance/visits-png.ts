import { crc32, deflateSync } from 'node:zlib';

function chunk(type: string, data: Buffer): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'latin1');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])) >>> 0, 0);
  return Buffer.concat([head, data, crc]);
}

/**
 * An RGBA PNG like a signature canvas exports: transparent, with a dark stroke along the middle row
 * band when `strokePixels` > 0. Rows use the Sub filter so the decoder's unfiltering is exercised.
 */
export function signaturePng(opts: { width?: number; height?: number; strokePixels?: number; white?: boolean } = {}): Buffer {
  const width = opts.width ?? 300;
  const height = opts.height ?? 120;
  const stroke = opts.strokePixels ?? 400;
  const pixels = Buffer.alloc(width * height * 4, opts.white ? 255 : 0);
  for (let i = 0; i < stroke; i++) {
    const x = 10 + (i % (width - 20));
    const y = Math.floor(height / 2) + (Math.floor(i / (width - 20)) % 10);
    pixels.set([20, 20, 40, 255], (y * width + x) * 4);
  }
  const raw = Buffer.alloc((width * 4 + 1) * height);
  for (let y = 0; y < height; y++) {
    raw[y * (width * 4 + 1)] = 1;
    for (let x = 0; x < width * 4; x++) {
      const cur = pixels[y * width * 4 + x]!;
      const left = x >= 4 ? pixels[y * width * 4 + x - 4]! : 0;
      raw[y * (width * 4 + 1) + 1 + x] = (cur - left) & 0xff;
    }
  }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr.set([8, 6, 0, 0, 0], 8);
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', ihdr), chunk('IDAT', deflateSync(raw)), chunk('IEND', Buffer.alloc(0))]);
}

export const dataUrl = (png: Buffer) => `data:image/png;base64,${png.toString('base64')}`;
