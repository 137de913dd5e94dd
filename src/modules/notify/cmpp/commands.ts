/** CMPP protocol versions as the Version byte carries them: major in the high nibble, minor in the low. */
export type CmppVersion = 0x20 | 0x30;

export const COMMAND_IDS = {
  CONNECT: 0x0000_0001,
  CONNECT_RESP: 0x8000_0001,
  TERMINATE: 0x0000_0002,
  TERMINATE_RESP: 0x8000_0002,
  SUBMIT: 0x0000_0004,
  SUBMIT_RESP: 0x8000_0004,
  DELIVER: 0x0000_0005,
  DELIVER_RESP: 0x8000_0005,
  ACTIVE_TEST: 0x0000_0008,
  ACTIVE_TEST_RESP: 0x8000_0008,
} as const;

export type CmppCommand = keyof typeof COMMAND_IDS;

const COMMAND_BY_ID = new Map<number, CmppCommand>(Object.entries(COMMAND_IDS).map(([name, id]) => [id, name as CmppCommand]));

export function commandName(id: number): CmppCommand | undefined {
  return COMMAND_BY_ID.get(id);
}

/** Msg_Fmt values used for notices and replies. */
export const MSG_FMT = { ASCII: 0, BINARY: 4, UCS2: 8, GBK: 15 } as const;

/** CONNECT_RESP Status values from the specification (3 is the one operators see: bad secret or clock skew). */
export const CONNECT_STATUS = {
  OK: 0,
  BAD_STRUCTURE: 1,
  BAD_SOURCE_ADDR: 2,
  AUTH_FAILED: 3,
  VERSION_TOO_HIGH: 4,
} as const;

/** Field sizes that differ between the versions. */
export function terminalIdSize(version: CmppVersion): number {
  return version === 0x20 ? 21 : 32;
}

/** SUBMIT carries 1–100 destinations (DestUsr_tl). */
export const MAX_DESTINATIONS = 100;

/**
 * The largest frame we accept. The biggest legal PDU is a 3.0 SUBMIT to 100 destinations
 * (12 + 151 + 100 × 32 + 140 = 3,503 bytes); anything far above that is a desynchronised stream.
 */
export const MAX_FRAME_LENGTH = 4096;
