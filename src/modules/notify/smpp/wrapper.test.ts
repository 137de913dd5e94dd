import { describe, expect, it } from 'vitest';
import { codeOf } from '../test-support.ts';
import { SmppFrameSplitter, SmppPdu, decodeSmpp, encodeResponse, encodeSubmit } from './wrapper.ts';

describe('SMPP codec wrapper', () => {
  it('gives back the wire bytes of a receipt the package decoded through its GSM table', () => {
    const text = 'id:0A1B submit_date:2511220800 stat:DELIVRD err:000 text:$x_{}';
    const frame = new SmppPdu('deliver_sm', { sequence_number: 9, esm_class: 4, data_coding: 0, short_message: Buffer.from(text, 'latin1'), receipted_message_id: '0A1B', message_state: 2 }).toBuffer();
    const pdu = decodeSmpp(frame);
    expect(pdu).toMatchObject({ command: 'deliver_sm', sequence: 9, esmClass: 4, receiptedMessageId: '0A1B', messageState: 2 });
    expect(pdu.command === 'deliver_sm' && pdu.userData.toString('latin1')).toBe(text);
  });

  it('encodes a segment with its UDH and reads the UDH back', () => {
    const userData = Buffer.from([0x05, 0x00, 0x03, 0x2a, 0x02, 0x01, 0x4e, 0x2d]);
    const frame = encodeSubmit(3, { sourceAddr: '1069', destinationAddr: '13800138000', dataCoding: 8, userData, udhi: true, registeredDelivery: true });
    const pdu = new SmppPdu(frame);
    expect(pdu).toMatchObject({ esm_class: 0x40, data_coding: 8, registered_delivery: 1, destination_addr: '13800138000' });
  });

  it('decodes an error response without a body', () => {
    expect(decodeSmpp(encodeResponse('submit_sm', 7, 0x58))).toEqual({ command: 'submit_sm_resp', sequence: 7, status: 0x58, messageId: '' });
  });

  it('cuts frames split across chunks and several frames in one chunk', () => {
    const a = encodeResponse('enquire_link', 1, 0);
    const b = encodeResponse('submit_sm', 2, 0, { message_id: 'abc' });
    const splitter = new SmppFrameSplitter();
    const both = Buffer.concat([a, b]);
    expect(splitter.push(both.subarray(0, 10))).toEqual([]);
    expect(splitter.push(both.subarray(10, 20)).map((f) => f.length)).toEqual([16]);
    expect(splitter.push(both.subarray(20)).map((f) => decodeSmpp(f))).toEqual([{ command: 'submit_sm_resp', sequence: 2, status: 0, messageId: 'abc' }]);
  });

  it('refuses a length that cannot be an SMPP PDU', () => {
    expect(codeOf(() => new SmppFrameSplitter().push(Buffer.from('0000000400000015', 'hex')))).toBe('SMPP_FRAME_LENGTH_INVALID');
    expect(codeOf(() => new SmppFrameSplitter().push(Buffer.from('00100000', 'hex')))).toBe('SMPP_FRAME_LENGTH_INVALID');
  });
});
