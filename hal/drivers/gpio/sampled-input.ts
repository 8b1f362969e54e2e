import type { Clock, TimerHandle } from '../../base/clock.ts';
import type { DigitalInput } from './digital-line.ts';

/** How often libgpiod inputs are sampled: well under the 50 ms debounce window. */
export const LIBGPIOD_POLL_MS = 5;

/**
 * An input read by sampling on the injected clock every LIBGPIOD_POLL_MS: the libgpiod
 * back ends (v1 and v2) use no edge events; the debounce in GpioButton works on these
 * samples. `read` throws when the line cannot be read: `watch` then reports it once and
 * stops. `release` runs once, on close.
 */
export function sampledInput(read: () => boolean, release: () => void, clock: Clock): DigitalInput {
  let timer: TimerHandle | undefined;
  let closed = false;
  return {
    read: async () => read(),
    watch: (onChange, onError) => {
      let last = read();
      const poll = () => {
        if (closed) return;
        let now: boolean;
        try {
          now = read();
        } catch (e) {
          onError(e as Error);
          return;
        }
        if (now !== last) onChange((last = now));
        timer = clock.setTimeout(poll, LIBGPIOD_POLL_MS);
      };
      timer = clock.setTimeout(poll, LIBGPIOD_POLL_MS);
    },
    close: async () => {
      if (closed) return;
      closed = true;
      clock.clearTimeout(timer);
      release();
    },
  };
}
