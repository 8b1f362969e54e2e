import type { ValidBoard } from '../../hal/board-definition.ts';
import { TallyError } from '../../hal/base/errors.ts';
import { probeBoard, type ProbeEnv } from '../../hal/drivers/probe.ts';

/** Drivers whose native library aborts the whole process (an ALSA assertion) when the device is missing. */
const AUDIO_DRIVERS = new Set(['alsa', 'speaker']);

/**
 * Before `tally start` loads an audio driver: the same probe `tally doctor` runs, for the
 * audio roles only. A missing sound card is refused with the doctor's words and fix,
 * instead of `snd_pcm_hw_refine: Assertion … failed` killing the process (rc 134).
 */
export async function assertAudioRolesWork(board: ValidBoard, env: ProbeEnv): Promise<void> {
  const audioRoles = Object.fromEntries(
    Object.entries(board.roles).filter(([, spec]) => spec && AUDIO_DRIVERS.has((spec as { driver: string }).driver)),
  );
  if (Object.keys(audioRoles).length === 0) return;
  const probes = await probeBoard({ ...board, roles: audioRoles } as ValidBoard, env);
  const bad = probes.filter((p) => p.status !== 'works');
  if (bad.length === 0) return;
  const lines = bad.map((p) => `${p.role} (${p.driver}): ${p.detail}${p.fix ? `; fix: ${p.fix}` : ''}`);
  throw new TallyError('BOARD_ROLE_MISSING', `board ${board.name} cannot start: ${lines.join(' | ')} (tally doctor --board ${board.name} checks every role)`, {
    details: { board: board.name, roles: bad },
  });
}
