import type { Device } from '../core/device-types.ts';
import { matchPrivacyCommand, type PrivacyCommand } from '../core/intents/privacy-commands.ts';

/** The slice of the history store the voice commands need (HistoryStore satisfies it). */
export interface VoiceDeletableHistory {
  deleteLast(): Promise<unknown>;
  deleteToday(): Promise<unknown>;
  deleteAll(): Promise<unknown>;
}

export interface PrivacyVoiceCommandEvents {
  /** `recordings`: how many the store deleted, when its receipt says so. */
  onExecuted?(command: PrivacyCommand, streamId: number, recordings: number | null): void;
  onFailed?(command: PrivacyCommand, code: string): void;
}

/**
 * Executes "delete what I just said / everything I said today / everything I said" on the
 * device, from the transcript, when the `deletionByVoice` setting is on. Confirmed by
 * the chime (done) or the error tone (failed): a spoken confirmation would need the
 * voice service, and a deletion must not depend on it. Returns detach.
 *
 * "What I just said" is the request before the command: the command's own stream is
 * still open when its transcript arrives, so it is not yet in the history.
 */
/** How long "delete everything" waits for the owner's hand on the action button. */
export const CONFIRM_TIMEOUT_MS = 10_000;

export function attachPrivacyVoiceCommands(device: Device, history: VoiceDeletableHistory, events: PrivacyVoiceCommandEvents = {}): () => void {
  // Anyone in the room can say "delete everything"; only someone at the device can press
  // the button. "Delete what I just said" stays one step.
  let waiting: { command: PrivacyCommand; streamId: number } | null = null;
  const offs = [
    device.on('transcript', (streamId, text) => {
      if (!device.settings.deletionByVoice) return;
      const command = matchPrivacyCommand(text);
      if (!command) return;
      // The device answers this request itself (chime / error tone): the service's own
      // reply to "delete what I just said" would only confuse, so it is not played.
      device.dropReply(streamId);
      if (command.kind === 'last') return execute(command, streamId);
      waiting = { command, streamId };
      device.send({ type: 'confirm-request', what: command.kind, timeoutMs: CONFIRM_TIMEOUT_MS });
    }),
    device.on('confirmed', (what) => {
      if (!waiting || waiting.command.kind !== what) return;
      const { command, streamId } = waiting;
      waiting = null;
      execute(command, streamId);
    }),
    device.on('confirm-expired', () => {
      if (waiting) events.onFailed?.(waiting.command, 'PRIVACY_CONFIRM_TIMEOUT');
      waiting = null;
    }),
  ];
  const execute = (command: PrivacyCommand, streamId: number) => {
    const run = command.kind === 'last' ? history.deleteLast() : command.kind === 'today' ? history.deleteToday() : history.deleteAll();
    run.then(
      (receipt: unknown) => {
        const n = (receipt as { recordings?: unknown } | null)?.recordings;
        events.onExecuted?.(command, streamId, typeof n === 'number' ? n : null);
        device.chime('chime');
      },
      (e: unknown) => {
        events.onFailed?.(command, (e as { code?: string })?.code ?? 'HISTORY_DELETE_FAILED');
        device.chime('error');
      },
    );
  };
  return () => offs.forEach((off) => off());
}
