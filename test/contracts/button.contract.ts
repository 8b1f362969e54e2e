import { describe, expect, it } from 'vitest';
import { useHarness } from './use-harness.ts';
import type { Button } from '../../hal/button.ts';

export interface ButtonHarness {
  button: Button;
  /** Drive the raw contact (true = pressed), as the hardware line would. */
  setRaw(pressed: boolean): Promise<void> | void;
  /** Advance the injected clock. */
  advance(ms: number): Promise<void> | void;
  debounceMs: number;
  longPressMs: number;
  cleanup?(): Promise<void>;
}

export function buttonContract(name: string, make: () => Promise<ButtonHarness>): void {
  describe(`Button contract: ${name}`, () => {
    const setup = useHarness(make);

    function record(b: Button): string[] {
      const events: string[] = [];
      b.on('press', () => events.push('press'));
      b.on('release', () => events.push('release'));
      b.on('long-press', () => events.push('long-press'));
      return events;
    }

    it('a clean press gives exactly one press and one release', async () => {
      const h = await setup();
      const events = record(h.button);
      await h.setRaw(true);
      await h.advance(h.debounceMs + 10);
      expect(h.button.isPressed).toBe(true);
      await h.setRaw(false);
      await h.advance(h.debounceMs + 10);
      expect(events).toEqual(['press', 'release']);
      expect(h.button.isPressed).toBe(false);
    });

    it('bounces shorter than the debounce window produce nothing', async () => {
      const h = await setup();
      const events = record(h.button);
      for (let i = 0; i < 5; i++) {
        await h.setRaw(true);
        await h.advance(Math.max(1, Math.floor(h.debounceMs / 5)));
        await h.setRaw(false);
        await h.advance(Math.max(1, Math.floor(h.debounceMs / 5)));
      }
      await h.advance(h.debounceMs * 3);
      expect(events).toEqual([]);
    });

    it('holding fires long-press once, then release', async () => {
      const h = await setup();
      const events = record(h.button);
      await h.setRaw(true);
      await h.advance(h.debounceMs + h.longPressMs + 20);
      await h.setRaw(false);
      await h.advance(h.debounceMs + 10);
      expect(events).toEqual(['press', 'long-press', 'release']);
    });

    it('close() stops all events', async () => {
      const h = await setup();
      const events = record(h.button);
      await h.button.close();
      await h.setRaw(true);
      await h.advance(h.debounceMs + h.longPressMs + 20);
      expect(events).toEqual([]);
    });
  });
}
