/**
 * The part of the untyped `smpp@0.5.1` package that cardflow uses: its PDU codec and its server.
 * Only wrapper.ts imports it; the client and the simulator go through the typed functions there.
 */
declare module 'smpp' {
  import type { EventEmitter } from 'node:events';
  import type { Server as NetServer, Socket } from 'node:net';

  /** Decoded PDU: header fields plus the command's parameters and TLVs under their snake_case names. */
  export class PDU {
    constructor(command: string, options?: Record<string, unknown>);
    constructor(buffer: Buffer);
    command: string;
    command_length: number;
    command_id: number;
    command_status: number;
    sequence_number: number;
    [field: string]: unknown;
    isResponse(): boolean;
    response(options?: Record<string, unknown>): PDU;
    toBuffer(): Buffer;
    static maxLength: number;
  }

  export class Session extends EventEmitter {
    socket: Socket;
    send(pdu: PDU, responseCallback?: (pdu: PDU) => void, sendCallback?: (pdu: PDU) => void): boolean;
    /** Stops handling received PDUs (they stay buffered) until resume(). */
    pause(): void;
    close(callback?: () => void): void;
    destroy(callback?: () => void): void;
  }

  export class Server extends NetServer {
    sessions: Session[];
  }

  export function createServer(options: Record<string, unknown>, listener?: (session: Session) => void): Server;

  export const encodings: Record<'ASCII' | 'LATIN1' | 'UCS2', { encode(value: string): Buffer; decode(value: Buffer): string }>;

  const smpp: {
    PDU: typeof PDU;
    Session: typeof Session;
    Server: typeof Server;
    createServer: typeof createServer;
    encodings: typeof encodings;
  };
  export default smpp;
}
