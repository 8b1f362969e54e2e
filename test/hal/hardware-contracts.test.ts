import { describe, expect, it } from 'vitest';
import { ledContract } from '../contracts/led.contract.ts';
import { lightRingContract } from '../contracts/light-ring.contract.ts';
import { relayContract } from '../contracts/relay.contract.ts';
import { tonePlayerContract } from '../contracts/tone-player.contract.ts';
import { boardNames, loadBoard } from '../../boards/index.ts';
import type { RoleName, ValidBoard } from '../../hal/board-definition.ts';
import { SystemClock } from '../../hal/base/clock.ts';
import { createRoleDevice } from '../../hal/drivers/index.ts';
import type { Led } from '../../hal/led.ts';
import type { LightRing, RingFrame } from '../../hal/light-ring.ts';
import type { Microphone } from '../../hal/microphone.ts';
import type { Relay, RelayPosition } from '../../hal/relay.ts';
import type { TonePlayer } from '../../hal/tone-player.ts';

/**
 * The contract suites on real hardware: `HAL_TEST_BOARD=rpi5-neopixel-spi npx vitest run
 * test/hal/hardware-contracts.test.ts` on the device. Without it, skipped with a message.
 * Buttons need a finger, so they are not in here (use `tally doctor` and the terminal view).
 */
const boardName = process.env.HAL_TEST_BOARD;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
/** Real hardware cannot be made to fail on cue, nor read back. */
const REAL_HARDWARE = { writeFaults: false } as const;

/** The roles this file runs a real-hardware suite for on `board`: every one not simulated. */
function realRoles(board: ValidBoard): RoleName[] {
  const roles: RoleName[] = ['relay', 'muteLed', 'ring', 'tones', 'microphone'];
  return roles.filter((r) => {
    const spec = board.roles[r] as { driver: string } | undefined;
    return spec !== undefined && spec.driver !== 'sim';
  });
}

if (!boardName) {
  describe('real-hardware contracts: NOT RUN (HAL_TEST_BOARD is not set; set it to a board name on a device with that hardware)', () => {
    it('every shipped board loads, and each one but sim would run at least one real-hardware suite here', async () => {
      const suites: Record<string, RoleName[]> = {};
      for (const name of boardNames()) suites[name] = realRoles(await loadBoard(name));
      expect(suites.sim).toEqual([]);
      const missing = Object.entries(suites).filter(([name, roles]) => name !== 'sim' && roles.length === 0);
      expect(missing).toEqual([]);
    });
  });
} else {
  const board = await loadBoard(boardName);
  const real = new Set(realRoles(board));
  const open = async <T>(role: RoleName): Promise<T> => (await createRoleDevice(role, board.roles[role], board, { clock: new SystemClock() })) as T;

  if (real.has('relay')) {
    relayContract(`${boardName} (real)`, async () => {
      const relay = await open<Relay>('relay');
      // A relay contact needs a few ms to move before the sense line can agree.
      const settled: Relay = Object.assign(Object.create(relay) as Relay, {
        set: async (p: RelayPosition) => {
          await relay.set(p);
          await sleep(30);
        },
      });
      return { relay: settled, cleanup: () => relay.close() };
    }, REAL_HARDWARE);
  }

  if (real.has('muteLed')) {
    ledContract(`${boardName} (real)`, async () => {
      const led = await open<Led>('muteLed');
      return { led, cleanup: () => led.close() };
    }, REAL_HARDWARE);
  }

  if (real.has('ring')) {
    lightRingContract(`${boardName} (real)`, async () => {
      const ring = await open<LightRing>('ring');
      let writes = 0;
      const counted: LightRing = Object.assign(Object.create(ring) as LightRing, {
        show: async (f: RingFrame) => {
          await ring.show(f);
          writes++;
        },
      });
      return { ring: counted, writes: () => writes, cleanup: () => ring.close() };
    }, { ...REAL_HARDWARE, latches: false });
  }

  if (real.has('tones')) {
    tonePlayerContract(`${boardName} (real)`, async () => {
      const player = await open<TonePlayer>('tones');
      return { player, advance: async (ms) => void (await sleep(ms)), cleanup: () => player.close() };
    });
  }

  if (real.has('microphone')) {
    describe(`Microphone on ${boardName} (real)`, () => {
      it('captures full frames, stops at close()', async () => {
        const mic = await open<Microphone>('microphone');
        let frames = 0;
        mic.on('frame', (f) => {
          expect(f.length).toBe(mic.frameSamples);
          frames++;
        });
        await mic.open();
        await sleep(1000);
        await mic.close();
        const seen = frames;
        expect(seen).toBeGreaterThanOrEqual(10);
        await sleep(200);
        expect(frames).toBe(seen);
      });
    });
  }
}
