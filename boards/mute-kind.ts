import type { ValidBoard } from '../hal/board-definition.ts';

/**
 * Whether a board's mute cuts the microphone's power (a relay) or only stops capture.
 * Everything that shows mute must say "software-only" for the latter: the promise
 * "mute is absolute" is weaker without the relay, and the owner must know.
 */
export type MuteKind = 'hardware' | 'software-only';

export function muteKind(board: ValidBoard): MuteKind {
  return board.roles.relay ? 'hardware' : 'software-only';
}
