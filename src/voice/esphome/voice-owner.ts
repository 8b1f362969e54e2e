import type { LogLine } from './api-connection.ts';
import type { ApiSession } from './api-session.ts';

/**
 * Which API client the voice assistant belongs to: the first that subscribes, for as
 * long as it stays connected (as ESPHome firmware does, spec §7.5). A later subscriber
 * is refused with a log line and never takes over a running or future pipeline —
 * unlike the reference Linux satellite, which hands voice to the newest connection.
 * One exception, on an encrypted port only: a new connection from the owner's own
 * address that proved the key is Home Assistant reconnecting before the old socket was
 * seen to die; it takes over (the old connection is closed) instead of waiting out the
 * idle timeout.
 */
export class VoiceOwner {
  private owner: ApiSession | null = null;
  /** The last owner's address, for the ledger's destination after it went. */
  lastHost: string | null = null;

  constructor(
    private readonly log: LogLine,
    private readonly on: { gained(): void; lost(code: string): void },
    private readonly encrypted: boolean,
  ) {}

  get current(): ApiSession | null {
    return this.owner && this.owner.ready ? this.owner : null;
  }

  subscribe(s: ApiSession, subscribe: boolean): void {
    if (!subscribe) {
      if (s === this.owner) this.release('ESPHOME_UNSUBSCRIBED');
      return;
    }
    if (this.owner === s) return;
    if (this.owner && this.encrypted && this.owner.peerHost === s.peerHost) {
      const old = this.owner;
      this.log(`esphome: ${s.peerHost} reconnected; voice moves to its new connection`);
      this.release('ESPHOME_OWNER_RECONNECTED');
      old.conn.close('ESPHOME_REPLACED', 'the same Home Assistant opened a new connection');
    }
    if (this.owner) {
      this.log(`esphome ESPHOME_VOICE_OWNER_TAKEN: ${s.peerHost} asked for voice; it belongs to ${this.owner.peerHost}`);
      return;
    }
    this.owner = s;
    this.lastHost = s.peerHost;
    this.log(`esphome: voice assistant owned by ${s.peerHost}`);
    this.on.gained();
  }

  closed(s: ApiSession, code: string): void {
    if (s === this.owner) this.release(code);
  }

  private release(code: string): void {
    this.owner = null;
    this.on.lost(code);
  }
}
