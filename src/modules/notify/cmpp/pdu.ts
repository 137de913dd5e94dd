/**
 * CMPP PDUs as plain values. One shape serves both versions; fields marked "3.0 only" are absent from
 * the 2.0 layout: a 2.0 decode gives their empty value, and a 2.0 encode refuses anything else so that
 * nothing is dropped without notice.
 */
interface Header {
  sequenceId: number;
}

export interface CmppConnect extends Header {
  command: 'CONNECT';
  sourceAddr: string;
  authenticatorSource: Uint8Array;
  /** The version the client asks for; the layout of CONNECT is the same in 2.0 and 3.0. */
  version: number;
  /** MMDDHHMMSS as an integer (see cmppTimestamp). */
  timestamp: number;
}

export interface CmppConnectResp extends Header {
  command: 'CONNECT_RESP';
  status: number;
  authenticatorIsmg: Uint8Array;
  version: number;
}

export interface CmppSubmit extends Header {
  command: 'SUBMIT';
  msgId: bigint;
  pkTotal: number;
  pkNumber: number;
  registeredDelivery: number;
  msgLevel: number;
  serviceId: string;
  feeUserType: number;
  feeTerminalId: string;
  /** 3.0 only. */
  feeTerminalType: number;
  tpPid: number;
  tpUdhi: number;
  msgFmt: number;
  msgSrc: string;
  feeType: string;
  feeCode: string;
  validTime: string;
  atTime: string;
  srcId: string;
  destTerminalIds: string[];
  /** 3.0 only. */
  destTerminalType: number;
  content: Uint8Array;
  /** 3.0 only. */
  linkId: string;
}

export interface CmppSubmitResp extends Header {
  command: 'SUBMIT_RESP';
  msgId: bigint;
  result: number;
}

/** The Msg_Content of a DELIVER with Registered_Delivery = 1. */
export interface CmppStatusReport {
  /** The Msg_Id the SUBMIT_RESP returned for the message this report is about. */
  msgId: bigint;
  /** DELIVRD, EXPIRED, DELETED, UNDELIV, ACCEPTD, UNKNOWN, REJECTD, or a vendor code such as MB:0001. */
  stat: string;
  /** YYMMDDHHMM */
  submitTime: string;
  /** YYMMDDHHMM */
  doneTime: string;
  destTerminalId: string;
  smscSequence: number;
}

interface CmppDeliverFields extends Header {
  command: 'DELIVER';
  msgId: bigint;
  destId: string;
  serviceId: string;
  tpPid: number;
  tpUdhi: number;
  msgFmt: number;
  srcTerminalId: string;
  /** 3.0 only. */
  srcTerminalType: number;
  /** 3.0 only. */
  linkId: string;
}

export type CmppDeliver = CmppDeliverFields & ({ registeredDelivery: 0; content: Uint8Array } | { registeredDelivery: 1; report: CmppStatusReport });

export interface CmppDeliverResp extends Header {
  command: 'DELIVER_RESP';
  msgId: bigint;
  result: number;
}

export interface CmppActiveTest extends Header {
  command: 'ACTIVE_TEST';
}

export interface CmppActiveTestResp extends Header {
  command: 'ACTIVE_TEST_RESP';
  reserved: number;
}

export interface CmppTerminate extends Header {
  command: 'TERMINATE';
}

export interface CmppTerminateResp extends Header {
  command: 'TERMINATE_RESP';
}

export type CmppPdu =
  | CmppConnect
  | CmppConnectResp
  | CmppSubmit
  | CmppSubmitResp
  | CmppDeliver
  | CmppDeliverResp
  | CmppActiveTest
  | CmppActiveTestResp
  | CmppTerminate
  | CmppTerminateResp;
