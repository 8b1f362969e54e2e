/**
 * What the satellite may read and ask of the device for Home Assistant's entities and
 * wake-word selection. The device owns all of it; HA only asks. The one asymmetry that
 * matters: with a hardware mute relay HA can turn the mute on but never off (the owner
 * unmutes at the device).
 */
export interface WakeWordChoice {
  id: string;
  label: string;
}

export interface SatelliteControls {
  /** True when the mute is a relay that cuts the mic's power. */
  readonly hardwareMute: boolean;
  muted(): boolean;
  /** HA's mute switch. Turning it off is ignored when `hardwareMute`. */
  requestMute(muted: boolean): void;
  /** 0..1 */
  volume(): number;
  setVolume(v: number): void;
  followUp(): boolean;
  setFollowUp(on: boolean): void;
  /** Streams opened today (from the ledger), for the "Tally privacy" sensor. */
  streamsToday(): number;
  wakeWords(): { available: WakeWordChoice[]; active: string[]; maxActive: number };
  setActiveWakeWords(ids: string[]): void;
  /** Subscribes to changes of any of the above; returns the unsubscribe. */
  onChange(fn: () => void): () => void;
}

/** Plain in-memory controls: tests, and a device that wires nothing yet. */
export class MemoryControls implements SatelliteControls {
  private listeners = new Set<() => void>();
  private state: { muted: boolean; volume: number; followUp: boolean; streams: number; active: string[] };

  constructor(
    readonly hardwareMute: boolean,
    private readonly available: WakeWordChoice[],
    init: Partial<{ muted: boolean; volume: number; followUp: boolean; active: string[] }> = {},
  ) {
    this.state = { muted: false, volume: 0.5, followUp: false, streams: 0, active: available.slice(0, 1).map((w) => w.id), ...init };
  }

  muted(): boolean { return this.state.muted; }
  requestMute(muted: boolean): void {
    if (!muted && this.hardwareMute) return;
    this.set({ muted });
  }
  volume(): number { return this.state.volume; }
  setVolume(v: number): void { this.set({ volume: v }); }
  followUp(): boolean { return this.state.followUp; }
  setFollowUp(on: boolean): void { this.set({ followUp: on }); }
  streamsToday(): number { return this.state.streams; }
  /** Device side: the owner pressed the mute button, a stream opened, … */
  set(patch: Partial<MemoryControls['state']>): void {
    this.state = { ...this.state, ...patch };
    for (const fn of this.listeners) fn();
  }
  wakeWords() {
    return { available: this.available, active: this.state.active, maxActive: 1 };
  }
  setActiveWakeWords(ids: string[]): void {
    const known = ids.filter((id) => this.available.some((w) => w.id === id)).slice(0, 1);
    if (known.length) this.set({ active: known });
  }
  onChange(fn: () => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }
}
