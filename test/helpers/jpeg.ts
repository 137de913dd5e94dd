/**
 * A structurally valid JPEG header of the given frame size, padded with comment segments to exactly
 * `totalBytes`: enough for the photo checks, which read markers and the frame header only.
 */
export function fakeJpeg(width = 358, height = 441, totalBytes = 40 * 1024, sof: 0xc0 | 0xc2 | 0xc3 = 0xc0): Buffer {
  const soi = Buffer.from([0xff, 0xd8]);
  const app0 = Buffer.from([0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00, 0x01, 0x01, 0x01, 0x01, 0x5e, 0x01, 0x5e, 0x00, 0x00]);
  const sofSeg = Buffer.from([0xff, sof, 0x00, 0x11, 0x08, height >> 8, height & 0xff, width >> 8, width & 0xff, 0x03, 0x01, 0x22, 0x00, 0x02, 0x11, 0x01, 0x03, 0x11, 0x01]);
  const sos = Buffer.from([0xff, 0xda, 0x00, 0x0c, 0x03, 0x01, 0x00, 0x02, 0x11, 0x03, 0x11, 0x00, 0x3f, 0x00]);
  const eoi = Buffer.from([0xff, 0xd9]);
  const fixed = soi.length + app0.length + sofSeg.length + sos.length + eoi.length;
  let pad = totalBytes - fixed;
  const comments: Buffer[] = [];
  while (pad > 0) {
    // A comment segment is 4 bytes of marker and length plus up to 65533 bytes of text.
    const take = Math.min(pad, 65_000);
    const body = Math.max(0, take - 4);
    const seg = Buffer.alloc(4 + body, 0x20);
    seg[0] = 0xff;
    seg[1] = 0xfe;
    seg.writeUInt16BE(body + 2, 2);
    comments.push(seg);
    pad -= seg.length;
  }
  // Scan data stands in for the entropy-coded image.
  return Buffer.concat([soi, app0, ...comments, sofSeg, sos, eoi]).subarray(0, Math.max(totalBytes, fixed));
}
