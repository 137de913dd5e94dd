import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AppError } from '../../../platform/errors/app-error.ts';
import { MAX_SMPP_PDU_LENGTH, SmppPdu, decodeSmpp, encodeEmptyRequest, encodeResponse, encodeSubmit, userDataOf } from './wrapper.ts';

const sequence = fc.integer({ min: 1, max: 0x7fffffff });
const address = fc.string({ unit: fc.constantFrom(...'0123456789'), minLength: 1, maxLength: 20 });
const messageId = fc.string({ unit: fc.constantFrom(...'0123456789ABCDEFabcdef'), maxLength: 64 });
const bytes = (max: number) => fc.uint8Array({ maxLength: max }).map((a) => Buffer.from(a));
// UCS-2 user data is whole 16-bit units.
const ucs2 = (max: number) => bytes(max).map((b) => b.subarray(0, b.length - (b.length % 2)));

describe('SMPP codec (properties)', () => {
  it('decode(encode(x)) = x for submit_sm responses, enquire_link and unbind', () => {
    fc.assert(
      fc.property(sequence, messageId, fc.constantFrom('enquire_link', 'unbind') as fc.Arbitrary<'enquire_link' | 'unbind'>, (seq, id, empty) => {
        expect(decodeSmpp(encodeResponse('submit_sm', seq, 0, { message_id: id }))).toEqual({ command: 'submit_sm_resp', sequence: seq, status: 0, messageId: id });
        expect(decodeSmpp(encodeEmptyRequest(empty, seq))).toEqual({ command: empty, sequence: seq, status: 0 });
      }),
      { numRuns: 300 },
    );
  });

  it('decode(encode(x)) = x for deliver_sm with binary user data (UCS-2 and 8-bit codings)', () => {
    fc.assert(
      fc.property(sequence, address, address, fc.oneof(fc.tuple(fc.constant(4), bytes(140)), fc.tuple(fc.constant(8), ucs2(140))), fc.constantFrom(0, 0x04), (seq, from, to, [dataCoding, userData], esmClass) => {
        const frame = new SmppPdu('deliver_sm', { sequence_number: seq, source_addr: from, destination_addr: to, esm_class: esmClass, data_coding: dataCoding, short_message: userData }).toBuffer();
        const pdu = decodeSmpp(frame);
        expect(pdu).toMatchObject({ command: 'deliver_sm', sequence: seq, sourceAddr: from, destinationAddr: to, esmClass, dataCoding });
        expect(pdu.command === 'deliver_sm' && Buffer.compare(pdu.userData, userData)).toBe(0);
      }),
      { numRuns: 300 },
    );
  });

  it('keeps a leading U+FEFF and lone surrogates in UCS-2 user data (iconv would drop the first)', () => {
    for (const userData of [Buffer.of(0xfe, 0xff), Buffer.of(0xfe, 0xff, 0x4e, 0x2d), Buffer.of(0xd8, 0x00, 0x00, 0x41)]) {
      const frame = new SmppPdu('deliver_sm', { sequence_number: 1, source_addr: '1', destination_addr: '2', data_coding: 8, short_message: userData }).toBuffer();
      const pdu = decodeSmpp(frame);
      expect(pdu.command === 'deliver_sm' && pdu.userData.toString('hex')).toBe(userData.toString('hex'));
      const submit = new SmppPdu(encodeSubmit(1, { sourceAddr: '1', destinationAddr: '2', dataCoding: 8, userData, udhi: false, registeredDelivery: true }));
      expect(userDataOf(submit.short_message, 8).toString('hex')).toBe(userData.toString('hex'));
    }
  });

  it('submit_sm fields survive the package codec', () => {
    fc.assert(
      fc.property(sequence, address, address, ucs2(140), fc.boolean(), (seq, from, to, userData, registered) => {
        const pdu = new SmppPdu(encodeSubmit(seq, { sourceAddr: from, destinationAddr: to, dataCoding: 8, userData, udhi: false, registeredDelivery: registered }));
        expect(pdu).toMatchObject({ command: 'submit_sm', sequence_number: seq, source_addr: from, destination_addr: to, data_coding: 8, registered_delivery: registered ? 1 : 0 });
        expect(Buffer.compare(userDataOf(pdu.short_message, 8), userData)).toBe(0);
      }),
      { numRuns: 200 },
    );
  });

  it('random bytes, and random bodies behind a plausible header, raise SMPP_PDU_INVALID or decode; nothing else', () => {
    const header = fc.tuple(fc.constantFrom(0x80000004, 0x00000005, 0x00000015, 0x80000009, 0x00000004, 0x00000006, 0x12345678), sequence, bytes(300)).map(([command, seq, body]) => {
      const frame = Buffer.alloc(16 + body.length);
      frame.writeUInt32BE(frame.length, 0);
      frame.writeUInt32BE(command, 4);
      frame.writeUInt32BE(0, 8);
      frame.writeUInt32BE(seq, 12);
      body.copy(frame, 16);
      return frame;
    });
    fc.assert(
      fc.property(fc.oneof(bytes(400), header), (frame) => {
        fc.pre(frame.length <= MAX_SMPP_PDU_LENGTH);
        try {
          decodeSmpp(frame);
        } catch (err) {
          expect(err).toBeInstanceOf(AppError);
          expect((err as AppError).code).toBe('SMPP_PDU_INVALID');
        }
      }),
      { numRuns: 1000 },
    );
  });
});
