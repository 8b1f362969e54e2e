import type { BoardDefinition } from '../hal/board-definition.ts';

/**
 * Any computer with an Arduino (Uno/Nano/Leonardo) running StandardFirmata on USB serial
 * for the mic-kill relay, its sense line, the red LED and the buttons; microphone and
 * speaker are the computer's own (ALSA). Arduino pin numbers:
 *
 *   relay coil   D7      relay sense  D8   (to the relay's spare contact, pulled down)
 *   mute LED     D12     action btn   D2   mute btn  D3   (to GND, INPUT_PULLUP, active low)
 *
 * Firmata cannot drive WS281x rings, so this board has no ring: the screen (or the
 * terminal view) carries the listening indicator. Firmata has no write acknowledgement,
 * which is why the sense line matters here.
 */
export const arduinoFirmataBoard = {
  name: 'arduino-firmata',
  description: 'Arduino with StandardFirmata on /dev/ttyACM0: mic-kill relay with sense line, red LED, buttons; host mic and speaker',
  serialPort: '/dev/ttyACM0',
  // Starting estimate of speaker → mic delay (ALSA buffers + air); refined while playing.
  aec: { canceller: 'speex', delayMs: 60 },
  roles: {
    microphone: { driver: 'alsa', device: 'default' },
    relay: { driver: 'firmata', pin: 7, sensePin: 8 },
    muteLed: { driver: 'firmata', pin: 12 },
    actionButton: { driver: 'firmata', pin: 2, activeLow: true },
    muteButton: { driver: 'firmata', pin: 3, activeLow: true },
    tones: { driver: 'speaker', device: 'default' },
  },
} satisfies BoardDefinition;
