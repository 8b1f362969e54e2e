import type { BoardDefinition } from '../hal/board-definition.ts';

/** The simulated board: every role served by a scriptable simulated device. */
export const simBoard = {
  name: 'sim',
  description: 'Simulated board: 12-pixel ring, mic-kill relay with sense line, red LED, action and mute buttons, speaker, mic fed from WAV files',
  // The sim echo path (hal/sim/sim-echo-path.ts) delays the speaker by 40 ms.
  aec: { canceller: 'speex', delayMs: 40 },
  roles: {
    microphone: { driver: 'sim' },
    relay: { driver: 'sim', pin: 17, sensePin: 27 },
    muteLed: { driver: 'sim', pin: 22 },
    ring: { driver: 'sim', pixelCount: 12 },
    actionButton: { driver: 'sim', pin: 5 },
    muteButton: { driver: 'sim', pin: 6 },
    tones: { driver: 'sim' },
  },
} satisfies BoardDefinition;
