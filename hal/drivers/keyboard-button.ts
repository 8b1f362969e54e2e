import type { ButtonOptions } from '../button.ts';
import type { Clock, TimerHandle } from '../base/clock.ts';
import { DebouncedButton } from './gpio/debounced-button.ts';

/**
 * The desktop board's action button: a key on the terminal. A terminal in raw mode
 * reports key presses but never key releases, so "held" is inferred from auto-repeat:
 * the button is released when no repeat of the key arrives within the repeat window
 * (the first repeat comes after the OS's ~500 ms delay, later ones every ~30 ms).
 * Holding the key therefore gives a long press, as holding the real button would.
 */
export const FIRST_REPEAT_WAIT_MS = 600;
export const NEXT_REPEAT_WAIT_MS = 150;

export function openKeyboardButton(keys: NodeJS.ReadableStream, key: string, clock: Clock, opts: ButtonOptions = {}): DebouncedButton {
  let release: TimerHandle | undefined;
  let held = false;
  const onData = (chunk: Buffer | string) => {
    const text = typeof chunk === 'string' ? chunk : chunk.toString('utf8');
    for (const ch of text) {
      if (ch !== key) continue;
      button.input(true);
      clock.clearTimeout(release);
      release = clock.setTimeout(
        () => {
          held = false;
          button.input(false);
        },
        held ? NEXT_REPEAT_WAIT_MS : FIRST_REPEAT_WAIT_MS,
      );
      held = true;
    }
  };
  const button = new DebouncedButton(`keyboard key "${key}"`, clock, { ...opts, debounceMs: 0 }, async () => {
    clock.clearTimeout(release);
    keys.removeListener('data', onData);
  });
  keys.on('data', onData);
  return button;
}
