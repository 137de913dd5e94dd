import { AppError } from '../../../platform/errors/app-error.ts';
import { decodeUtf16be, splitUserDataHeader, type ConcatInfo, type SegmentedSms } from '../segments.ts';
import { MSG_FMT } from './commands.ts';
import type { CmppSubmit } from './pdu.ts';

type SegmentFields = Pick<CmppSubmit, 'pkTotal' | 'pkNumber' | 'tpUdhi' | 'msgFmt' | 'content'>;

/**
 * The SUBMIT fields for each segment of a text split with `ucs2Only` (see segmentText): Pk_total and
 * Pk_number count the parts, TP_udhi = 1 says Msg_Content starts with the concatenation header.
 * GSM-7 segments are refused because CMPP has no Msg_Fmt for the GSM alphabet (0 is ASCII).
 */
export function submitSegments(sms: SegmentedSms): SegmentFields[] {
  if (sms.encoding !== 'UCS2') throw new AppError('CMPP_MSG_FMT_UNSUPPORTED', { params: { msgFmt: 'GSM 03.38' } });
  return sms.parts.map((part, i) => ({
    pkTotal: sms.segments,
    pkNumber: i + 1,
    tpUdhi: part.udh ? 1 : 0,
    msgFmt: MSG_FMT.UCS2,
    content: Buffer.from(part.userData),
  }));
}

const gbk = new TextDecoder('gbk', { fatal: true });

/** The text of a DELIVER (a holder's reply): ASCII, UCS-2 or GBK, after the UDH when TP_udhi = 1. */
export function decodeMsgContent(msg: { msgFmt: number; tpUdhi: number; content: Uint8Array }): { concat: ConcatInfo | null; text: string } {
  const { concat, body } = msg.tpUdhi === 1 ? splitUserDataHeader(msg.content) : { concat: null, body: msg.content };
  switch (msg.msgFmt) {
    case MSG_FMT.ASCII:
      return { concat, text: Buffer.from(body).toString('latin1') };
    case MSG_FMT.UCS2:
      return { concat, text: decodeUtf16be(body) };
    case MSG_FMT.GBK:
      try {
        return { concat, text: gbk.decode(body) };
      } catch (cause) {
        throw new AppError('SMS_USER_DATA_INVALID', { params: { reason: 'not valid GBK' }, cause });
      }
    default:
      throw new AppError('CMPP_MSG_FMT_UNSUPPORTED', { params: { msgFmt: msg.msgFmt } });
  }
}
