import { IPC_CHANNEL } from '../../shared/api.js';
import { ForbiddenError } from '../../shared/errors.js';
import { fail, type Result } from '../../shared/result.js';
import { isAppUrl } from '../shell/app-origin.js';
import { dispatch, type ErrorLogger } from './dispatch.js';
import { memorySessionSlot, type CallContext, type Handlers, type SessionSlot } from './handlers.js';
import type { Clock } from '../services/context.js';

/**
 * The IPC face of the core, without Electron: `registerIpc(ipcMain, …)` in main passes the real ipcMain;
 * tests pass a fake. One channel (`keyrack:invoke`) carries every contract call as (channel, input); the
 * wrapper does the boring, dangerous part in a fixed order (STYLE §3):
 *   1. sender check: the calling frame is the window's top frame on the app's own origin (Electron
 *      security checklist item 17), so a frame or page that somehow loaded elsewhere gets nothing;
 *   2. dispatch: unknown channel refused, input parsed against the contract's schema, handler called,
 *      every outcome returned as a Result value (thrown errors lose their class across the bridge).
 */

/** The parts of Electron's IpcMainInvokeEvent the wrapper reads. */
export interface InvokeEventLike {
  readonly sender: { readonly id: number };
  /** Null when the frame navigated away or was destroyed before the message was handled. */
  readonly senderFrame: { readonly url: string; readonly parent: unknown } | null;
}

export type InvokeListener = (event: InvokeEventLike, ...args: unknown[]) => Promise<Result<unknown>>;

/** The parts of Electron's ipcMain the wrapper uses. */
export interface IpcMainLike {
  handle(channel: string, listener: InvokeListener): void;
  removeHandler(channel: string): void;
}

export type SenderVerdict = { trusted: true } | { trusted: false; reason: string };

/** Checklist item 17: validate the sender of every IPC message. */
export function checkSender(event: InvokeEventLike): SenderVerdict {
  const frame = event.senderFrame;
  if (!frame) return { trusted: false, reason: 'the sending frame is gone' };
  if (frame.parent !== null) return { trusted: false, reason: 'sent from a subframe' };
  if (!isAppUrl(frame.url)) return { trusted: false, reason: 'sent from a page outside the app' };
  return { trusted: true };
}

/** One logged-in person per window: the session lives as long as the window's web contents. */
export interface SessionRegistry {
  slotFor(senderId: number): SessionSlot;
  forget(senderId: number): void;
}

/**
 * One session per window. There is no bearer id here to fix or replay (the window's web contents id is
 * Electron's, not something a page sends), but the session still expires on `clock` like the bridge's.
 */
export function sessionPerSender(clock?: Clock): SessionRegistry {
  const slots = new Map<number, SessionSlot>();
  return {
    slotFor(senderId) {
      let slot = slots.get(senderId);
      if (!slot) {
        slot = memorySessionSlot(clock);
        slots.set(senderId, slot);
      }
      return slot;
    },
    forget: (senderId) => void slots.delete(senderId),
  };
}

export interface RegisterIpcOptions {
  handlers: Handlers;
  sessions: SessionRegistry;
  /** Told about refused senders (reason and frame URL only; never the input, which may hold a password). */
  onRefusedSender?: (reason: string, frameUrl: string | null) => void;
  logError?: ErrorLogger;
}

/** Registers the handler and returns a function that removes it (for a clean shutdown and for tests). */
export function registerIpc(ipcMain: IpcMainLike, options: RegisterIpcOptions): () => void {
  const listener: InvokeListener = async (event, channel, input) => {
    const verdict = checkSender(event);
    if (!verdict.trusted) {
      options.onRefusedSender?.(verdict.reason, event.senderFrame?.url ?? null);
      return fail(new ForbiddenError('This request did not come from the Keyrack window').toBody());
    }
    // IPC callers are in this machine's own window: there is no network address to record.
    const ctx: CallContext = { session: options.sessions.slotFor(event.sender.id), sourceIp: null };
    return dispatch(options.handlers, channel, input, ctx, options.logError);
  };
  ipcMain.handle(IPC_CHANNEL, listener);
  return () => ipcMain.removeHandler(IPC_CHANNEL);
}
