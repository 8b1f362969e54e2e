import { TallyError } from '../hal/base/errors.ts';
import { validateBoard, type BoardDefinition, type ValidBoard } from '../hal/board-definition.ts';
import { simBoard } from './sim.ts';
import { rpiNeopixelRingBoard } from './rpi-neopixel-ring.ts';
import { rpi5NeopixelSpiBoard } from './rpi5-neopixel-spi.ts';
import { respeaker2micBoard } from './respeaker-2mic.ts';
import { respeaker4micBoard } from './respeaker-4mic.ts';
import { arduinoFirmataBoard } from './arduino-firmata.ts';
import { desktopBoard } from './desktop.ts';

/**
 * Every built-in board. Adding a board is one file in boards/ plus one line here.
 * A board file given as a path (`--board ./my-board.json`) is loaded and validated too.
 */
export const BUILT_IN_BOARDS: Record<string, BoardDefinition> = {
  sim: simBoard,
  'rpi-neopixel-ring': rpiNeopixelRingBoard,
  'rpi5-neopixel-spi': rpi5NeopixelSpiBoard,
  'respeaker-2mic': respeaker2micBoard,
  'respeaker-4mic': respeaker4micBoard,
  'arduino-firmata': arduinoFirmataBoard,
  desktop: desktopBoard,
};

export function boardNames(): string[] {
  return Object.keys(BUILT_IN_BOARDS);
}

export async function loadBoard(nameOrPath: string): Promise<ValidBoard> {
  const builtIn = BUILT_IN_BOARDS[nameOrPath];
  if (builtIn) return validateBoard(builtIn, `board ${nameOrPath}`);
  if (/[./\\]/.test(nameOrPath)) {
    const { readFile } = await import('node:fs/promises');
    let text: string;
    try {
      text = await readFile(nameOrPath, 'utf8');
    } catch (cause) {
      throw new TallyError('BOARD_FILE_UNREADABLE', `cannot read board file ${nameOrPath}`, { cause });
    }
    let data: unknown;
    try {
      data = JSON.parse(text);
    } catch (cause) {
      throw new TallyError('BOARD_FILE_MALFORMED', `board file ${nameOrPath} is not valid JSON`, { cause });
    }
    return validateBoard(data, `board file ${nameOrPath}`);
  }
  throw new TallyError('BOARD_UNKNOWN', `unknown board "${nameOrPath}"`, { validOptions: boardNames() });
}
