import { AppError } from '../../../platform/errors/app-error.ts';
import { HEADER_LENGTH } from './bytes.ts';
import { MAX_FRAME_LENGTH } from './commands.ts';

/**
 * Cuts a TCP byte stream into CMPP frames. Bytes arrive in arbitrary chunks: a frame may be split
 * across chunks and several frames may share one. A Total_Length below the header size or above
 * `maxFrameLength` means the stream is out of step; there is no way to resynchronise CMPP, so the
 * splitter raises CMPP_FRAME_LENGTH_INVALID and refuses all later input (the caller closes the connection).
 * Frames the same chunk completed before the bad header are in the error's `details.completedFrames`, so
 * a response that arrived just before the garbage is not lost.
 */
export class CmppFrameSplitter {
  private pending: Buffer = Buffer.alloc(0);
  private failed = false;

  constructor(private readonly maxFrameLength: number = MAX_FRAME_LENGTH) {}

  /** Adds a chunk and returns the frames it completed, each exactly Total_Length bytes, in order. */
  push(chunk: Uint8Array): Buffer[] {
    if (this.failed) throw new AppError('CMPP_STREAM_CLOSED');
    this.pending = this.pending.length === 0 ? Buffer.from(chunk) : Buffer.concat([this.pending, chunk]);
    const frames: Buffer[] = [];
    let offset = 0;
    while (this.pending.length - offset >= 4) {
      const total = this.pending.readUInt32BE(offset);
      if (total < HEADER_LENGTH || total > this.maxFrameLength) {
        this.failed = true;
        this.pending = Buffer.alloc(0);
        throw new AppError('CMPP_FRAME_LENGTH_INVALID', {
          params: { length: total, min: HEADER_LENGTH, max: this.maxFrameLength },
          details: { completedFrames: frames },
        });
      }
      if (this.pending.length - offset < total) break;
      frames.push(Buffer.from(this.pending.subarray(offset, offset + total)));
      offset += total;
    }
    this.pending = Buffer.from(this.pending.subarray(offset));
    return frames;
  }

  /** Bytes of an incomplete frame still waiting for the rest. */
  get buffered(): number {
    return this.pending.length;
  }
}
