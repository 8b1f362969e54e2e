import type { RoleName, ValidBoard } from './board-definition.ts';
import type { Clock } from './base/clock.ts';
import type { DeviceSet } from './device-set.ts';
import { createSimBoard, type SimBoard } from './sim/sim-board.ts';

export interface CreateDevicesContext {
  clock: Clock;
  /** Keypresses for keyboard-driven buttons (desktop board). */
  inputKeys?: NodeJS.ReadableStream;
  /** Where a driver says it fell back to another (the terminal). */
  warn?: (message: string) => void;
}

const ROLES: RoleName[] = ['microphone', 'relay', 'muteLed', 'ring', 'actionButton', 'muteButton', 'tones'];

/**
 * Builds the devices of a board, role by role. Simulated roles come from the sim board;
 * every other driver is loaded lazily from hal/drivers only when the board names it, so
 * a laptop or CI never loads a native hardware package.
 */
export async function createDevices(board: ValidBoard, ctx: CreateDevicesContext): Promise<{ devices: DeviceSet; sim: SimBoard | null }> {
  const allSim = ROLES.every((role) => {
    const spec = board.roles[role];
    return !spec || spec.driver === 'sim';
  });
  // The sim board builds only the roles whose driver is `sim` (plus its recorder).
  const sim = createSimBoard(board, ctx.clock);
  if (allSim) return { devices: sim, sim };
  const { createRoleDevice } = await import('./drivers/index.ts');
  const devices: Record<string, unknown> = {};
  const opened: { close(): Promise<void> }[] = [];
  try {
    for (const role of ROLES) {
      const spec = board.roles[role];
      if (!spec) continue;
      const device = spec.driver === 'sim' ? (sim as unknown as Record<string, unknown>)[role] : await createRoleDevice(role, spec, board, ctx);
      devices[role] = device;
      opened.push(device as { close(): Promise<void> });
    }
  } catch (e) {
    // Nothing half-started: close what opened (relay last, left open) and rethrow.
    await Promise.allSettled(opened.reverse().map((d) => d.close()));
    throw e;
  }
  const set = {
    ...devices,
    async close() {
      const relay = devices.relay as { close(): Promise<void> } | undefined;
      await Promise.allSettled(opened.filter((d) => d !== relay).map((d) => d.close()));
      await relay?.close();
    },
  } as DeviceSet;
  return { devices: set, sim: null };
}
