import type { BoardDefinition } from '../hal/board-definition.ts';

/**
 * A laptop or desktop: no GPIO. Space presses the action button, `m` the mute button;
 * the laptop's microphone and speaker through ALSA.
 * There is no relay, so mute is software-only: capture stops, but nothing physically
 * cuts the microphone, and the UI says so wherever mute is shown.
 */
export const desktopBoard = {
  name: 'desktop',
  description: 'Laptop/desktop: keyboard action (space) and mute (m) buttons, laptop mic and speaker via ALSA (software-only mute)',
  // Starting estimate of speaker → mic delay (ALSA buffers + air); refined while playing.
  aec: { canceller: 'speex', delayMs: 60 },
  roles: {
    microphone: { driver: 'alsa', device: 'default' },
    actionButton: { driver: 'keyboard', key: ' ' },
    muteButton: { driver: 'keyboard', key: 'm' },
    tones: { driver: 'speaker', device: 'default' },
  },
} satisfies BoardDefinition;
