import type { BoardDefinition } from '../hal/board-definition.ts';

/**
 * Seeed ReSpeaker 4-Mic Array for Raspberry Pi: AC108 (four mics, capture only), 12 APA102
 * LEDs on SPI0 CE1. The LED supply is switched by GPIO5: add `gpio=5=op,dh` to
 * /boot/firmware/config.txt so it is on from boot (docs/pi-deployment.md).
 * No button on the HAT: the action and mute buttons go on the Grove port (GPIO12, GPIO13).
 * Speaker: the Pi's own audio out or a USB speaker (`default`).
 * The mics are on the HAT: no relay, mute is software-only.
 */
export const respeaker4micBoard = {
  name: 'respeaker-4mic',
  description: 'ReSpeaker 4-Mic Array: 12 APA102 LEDs, Grove buttons on GPIO12/13, AC108 mics (software-only mute)',
  // Starting estimate of speaker → mic delay (ALSA buffers + air); refined while playing.
  aec: { canceller: 'speex', delayMs: 90 },
  roles: {
    microphone: { driver: 'alsa', device: 'plughw:CARD=seeed4micvoicec,DEV=0' },
    ring: { driver: 'apa102', pixelCount: 12, spiBus: 0, spiDevice: 1, order: 'bgr', maxBrightness: 0.6 },
    actionButton: { driver: 'libgpiod', pin: 12 },
    muteButton: { driver: 'libgpiod', pin: 13 },
    tones: { driver: 'speaker', device: 'default' },
  },
} satisfies BoardDefinition;
