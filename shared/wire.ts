import { z } from 'zod';
import { ContractErrorSchema } from './errors';

/** Electron IPC channel names: the preload and the main-process wiring both read them from here. */
export const IPC_CALL_CHANNEL = 'deeptriage:call';
export const IPC_EVENT_CHANNEL = 'deeptriage:event';

/** The localhost host's socket path and the query parameter / cookie carrying the per-launch token. */
export const HOST_SOCKET_PATH = '/ws';
export const HOST_TOKEN_PARAM = 'token';
export const HOST_TOKEN_COOKIE = 'deeptriage_token';
/** Uploads (a file dropped on the browser page) carry the token in this header. */
export const HOST_TOKEN_HEADER = 'x-deeptriage-token';
export const HOST_UPLOAD_PATH = '/upload';
/** A socket message over this size is refused with a typed INVALID_PAYLOAD error. */
export const HOST_MAX_MESSAGE_BYTES = 16 * 1024 * 1024;

/** Every call answers with an envelope, so errors keep their code across any transport. */
export const ResultEnvelopeSchema = z.discriminatedUnion('ok', [
  z.object({ ok: z.literal(true), value: z.unknown() }),
  z.object({ ok: z.literal(false), error: ContractErrorSchema }),
]);
export type ResultEnvelope = z.infer<typeof ResultEnvelopeSchema>;

export const SocketClientMessageSchema = z.object({
  type: z.literal('call'),
  id: z.number().int(),
  op: z.string(),
  payload: z.unknown(),
});
export type SocketClientMessage = z.infer<typeof SocketClientMessageSchema>;

export type SocketServerMessage =
  | { type: 'result'; id: number; result: ResultEnvelope }
  | { type: 'event'; name: string; payload: unknown };

/** What both transports give the renderer; it never learns which one it has. */
export interface Bridge {
  call(op: string, payload: unknown): Promise<ResultEnvelope>;
  onEvent(listener: (name: string, payload: unknown) => void): () => void;
  /** Electron only: the disk path of a dropped file (a browser page cannot know it and uploads instead). */
  pathForFile?(file: File): string;
}
