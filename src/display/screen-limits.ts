/**
 * What one screen may ask of the device. A screen is a UI: it never has more than a few
 * requests in flight, so a socket that queues more is flooding and is closed; requests are
 * answered one at a time per screen, each after yielding to the event loop, so a mute press
 * (a GPIO or keyboard event) is never stuck behind screen work.
 */
export const SCREEN_LIMITS = {
  /** Screens connected at once (a kiosk, Electron and a spare); more are refused. */
  maxScreens: 4,
  /** Requests queued per screen before the socket counts as flooding and is closed. */
  maxPending: 32,
} as const;

/** WebSocket close codes for the limits (1013: try again later; 1008: policy). */
export const LIMIT_CLOSE_CODES = { tooManyScreens: 1013, flooding: 1008 } as const;

type Job = () => Promise<void>;

/** One screen's requests: run in order, one at a time, each on a fresh event-loop turn. */
export class ScreenRequestQueue {
  readonly #maxPending: number;
  #jobs: Job[] = [];
  #running = false;
  #closed = false;

  constructor(maxPending: number = SCREEN_LIMITS.maxPending) {
    this.#maxPending = maxPending;
  }

  get pending(): number {
    return this.#jobs.length + (this.#running ? 1 : 0);
  }

  /** False when the queue is full: the caller closes the flooding socket. */
  offer(job: Job): boolean {
    if (this.#closed) return true;
    if (this.pending >= this.#maxPending) return false;
    this.#jobs.push(job);
    if (!this.#running) this.#next();
    return true;
  }

  /** Drops what is still queued (the screen went away). */
  close(): void {
    this.#closed = true;
    this.#jobs.length = 0;
  }

  #next(): void {
    const job = this.#jobs.shift();
    if (!job || this.#closed) {
      this.#running = false;
      return;
    }
    this.#running = true;
    // setImmediate, not a microtask: I/O callbacks (buttons, the relay, sockets) run first.
    setImmediate(() => {
      job().finally(() => this.#next());
    });
  }
}
