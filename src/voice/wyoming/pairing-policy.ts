import type { Clock } from '../../../hal/base/clock.ts';
import type { PairingStore } from './pairing-store.ts';

/**
 * Who may control this satellite and receive its audio.
 *
 * "Completes setup" (the moment we pair), from Home Assistant's behaviour (wyoming.md §6):
 * HA's config flow first *probes* — a connection that sends `describe` and receives
 * `info` — and only once the entry is created and set up does it open its *main*
 * connection, whose first event is `run-satellite`. So a host completes setup when it
 * sends `run-satellite` on a connection after having received `info` on an earlier
 * connection within `probeMemoryMs`. The first host to do that on an unpaired satellite
 * is paired and remembered; from then on only that host's `run-satellite` is honoured.
 * Everyone else gets `info` and nothing else.
 */
export class PairingPolicy {
  #store: PairingStore;
  #clock: Clock;
  #probeMemoryMs: number;
  /** host → (connection id, time) of its last answered probe. Bounded. */
  #probes = new Map<string, { connId: number; at: number }>();
  static readonly MAX_PROBES = 32;

  constructor(store: PairingStore, clock: Clock, probeMemoryMs = 10 * 60_000) {
    this.#store = store;
    this.#clock = clock;
    this.#probeMemoryMs = probeMemoryMs;
  }

  get pairedHost(): string | null {
    return this.#store.pairing?.host ?? null;
  }

  isOwner(host: string): boolean {
    return this.pairedHost === host;
  }

  /** We answered `describe` with `info` on this connection. */
  noteProbe(host: string, connId: number): void {
    this.#probes.delete(host);
    this.#probes.set(host, { connId, at: this.#clock.now() });
    while (this.#probes.size > PairingPolicy.MAX_PROBES) this.#probes.delete(this.#probes.keys().next().value!);
  }

  /**
   * A `run-satellite` arrived. True when `host` is (now) the paired Home Assistant:
   * it already was, or the satellite is unpaired and this completes setup.
   */
  onRunSatellite(host: string, connId: number): { owner: boolean; newlyPaired: boolean } {
    const paired = this.pairedHost;
    if (paired !== null) return { owner: paired === host, newlyPaired: false };
    const probe = this.#probes.get(host);
    if (!probe || probe.connId === connId || this.#clock.now() - probe.at > this.#probeMemoryMs) {
      return { owner: false, newlyPaired: false };
    }
    this.#store.save({ host, pairedAt: new Date(this.#clock.wallNow()).toISOString() });
    return { owner: true, newlyPaired: true };
  }
}
