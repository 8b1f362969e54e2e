import type { BoardDefinition } from '../hal/board-definition.ts';

/**
 * Seeed ReSpeaker 2-Mics Pi HAT: WM8960 codec (two mics + speaker out), 3 APA102 LEDs on
 * SPI0 CE1 (/dev/spidev0.1), user button on GPIO17.
 *
 * The mics are on the HAT and have no power line to cut, so this board has no relay:
 * mute is software-only (capture stopped, ring red) and is shown as such everywhere.
 * Adding a relay means wiring one into an external mic's supply and a `relay` role.
 */
export const respeaker2micBoard = {
  name: 'respeaker-2mic',
  description: 'ReSpeaker 2-Mics Pi HAT: 3 APA102 LEDs, button on GPIO17, WM8960 mics and speaker (software-only mute)',
  // Starting estimate of speaker → mic delay (ALSA buffers + air); refined while playing.
  aec: { canceller: 'speex', delayMs: 90 },
  roles: {
    microphone: { driver: 'alsa', device: 'plughw:CARD=seeed2micvoicec,DEV=0' },
    ring: { driver: 'apa102', pixelCount: 3, spiBus: 0, spiDevice: 1, order: 'bgr', maxBrightness: 0.6 },
    actionButton: { driver: 'libgpiod', pin: 17 },
    tones: { driver: 'speaker', device: 'plughw:CARD=seeed2micvoicec,DEV=0' },
  },
} satisfies BoardDefinition;
