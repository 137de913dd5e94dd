import { AppError } from '../../../platform/errors/app-error.ts';

export const HEADER_LENGTH = 12;

/**
 * Big-endian writer for CMPP's fixed-layout fields. Octet strings are left-aligned and padded with
 * NUL bytes to their field size, as the specification's "Octet String" type requires.
 */
export class FieldWriter {
  private readonly parts: Buffer[] = [];

  u8(value: number, field: string): this {
    this.checkInt(value, 0xff, field);
    this.parts.push(Buffer.of(value));
    return this;
  }

  u32(value: number, field: string): this {
    this.checkInt(value, 0xffff_ffff, field);
    const b = Buffer.alloc(4);
    b.writeUInt32BE(value);
    this.parts.push(b);
    return this;
  }

  u64(value: bigint, field: string): this {
    if (value < 0n || value > 0xffff_ffff_ffff_ffffn) throw fieldError(field, 'not an unsigned 64-bit integer');
    const b = Buffer.alloc(8);
    b.writeBigUInt64BE(value);
    this.parts.push(b);
    return this;
  }

  /** A fixed-size ASCII field: longer values are refused rather than cut, because a cut number reaches someone else. */
  octets(value: string, size: number, field: string): this {
    if (!/^[\x20-\x7e]*$/.test(value)) throw fieldError(field, 'only printable ASCII is allowed');
    if (value.length > size) throw fieldError(field, `longer than ${size} bytes`);
    const b = Buffer.alloc(size);
    b.write(value, 'latin1');
    this.parts.push(b);
    return this;
  }

  bytes(value: Uint8Array, size: number, field: string): this {
    if (value.length !== size) throw fieldError(field, `must be exactly ${size} bytes`);
    this.parts.push(Buffer.from(value));
    return this;
  }

  raw(value: Uint8Array): this {
    this.parts.push(Buffer.from(value));
    return this;
  }

  toBuffer(): Buffer {
    return Buffer.concat(this.parts);
  }

  private checkInt(value: number, max: number, field: string): void {
    if (!Number.isInteger(value) || value < 0 || value > max) throw fieldError(field, `must be an integer 0–${max}`);
  }
}

/**
 * Reader over one PDU body. Running past the end means the Total_Length in the header does not fit the
 * field layout, so it raises the length error for `command` rather than reading garbage.
 */
export class FieldReader {
  private offset = 0;

  constructor(
    private readonly buf: Buffer,
    private readonly command: string,
    private readonly frameLength: number,
  ) {}

  get remaining(): number {
    return this.buf.length - this.offset;
  }

  u8(): number {
    return this.take(1).readUInt8(0);
  }

  u32(): number {
    return this.take(4).readUInt32BE(0);
  }

  u64(): bigint {
    return this.take(8).readBigUInt64BE(0);
  }

  /** A fixed-size octet string with its NUL padding removed (bytes after the first NUL are padding too). */
  octets(size: number): string {
    const b = this.take(size);
    const nul = b.indexOf(0);
    return b.subarray(0, nul === -1 ? size : nul).toString('latin1');
  }

  bytes(size: number): Buffer {
    return Buffer.from(this.take(size));
  }

  /** The body must be consumed exactly: trailing bytes mean the sender used another layout. */
  end(): void {
    if (this.remaining !== 0) throw this.lengthError(String(HEADER_LENGTH + this.offset));
  }

  /** `expected` is the whole frame length the layout calls for ("≥ n" when the layout was cut short). */
  lengthError(expected: string): AppError {
    return new AppError('CMPP_PDU_LENGTH_INVALID', { params: { command: this.command, length: this.frameLength, expected } });
  }

  private take(size: number): Buffer {
    if (this.offset + size > this.buf.length) throw this.lengthError(`≥ ${HEADER_LENGTH + this.offset + size}`);
    const b = this.buf.subarray(this.offset, this.offset + size);
    this.offset += size;
    return b;
  }
}

export function fieldError(field: string, reason: string): AppError {
  return new AppError('CMPP_FIELD_INVALID', { params: { field, reason } });
}
