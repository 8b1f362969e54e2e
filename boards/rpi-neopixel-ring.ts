import type { BoardDefinition } from '../hal/board-definition.ts';

/**
 * Raspberry Pi 1–4 with an Adafruit NeoPixel ring (12, 16 or 24 pixels; set pixelCount)
 * and the fail-safe mic-kill relay (docs/mic-kill-wiring.md). BCM numbers, header pins:
 *
 *   ring data    GPIO18  pin 12  (PWM0, via a 3.3→5 V level shifter; needs dtparam=audio=off)
 *   relay coil   GPIO17  pin 11  (through the relay module's driver transistor)
 *   relay sense  GPIO27  pin 13  (the relay's spare contact, pulled down)
 *   mute LED     GPIO22  pin 15  (the light in the illuminated mute button)
 *   action btn   GPIO5   pin 29  (to GND, internal pull-up: active low)
 *   mute btn     GPIO6   pin 31  (to GND, active low)
 *
 * The red "mic off" LED is NOT on a GPIO: it sits on the relay's normally-closed
 * contact, so it is lit whenever the metal says the mic is unpowered.
 * GPIO uses libgpiod (works on every current Raspberry Pi OS); on an old OS with sysfs
 * only, copy this board to JSON and change the drivers to `onoff`.
 */
export const rpiNeopixelRingBoard = {
  name: 'rpi-neopixel-ring',
  description: 'Raspberry Pi 1–4: NeoPixel ring on GPIO18, mic-kill relay with sense line, red LED, action and mute buttons, USB/I2S mic and speaker',
  // Starting estimate of speaker → mic delay (ALSA buffers + air); refined while playing.
  aec: { canceller: 'speex', delayMs: 100 },
  roles: {
    microphone: { driver: 'alsa', device: 'default' },
    relay: { driver: 'libgpiod', pin: 17, sensePin: 27 },
    muteLed: { driver: 'libgpiod', pin: 22 },
    ring: { driver: 'ws281x', pixelCount: 12, pin: 18, order: 'grb', maxBrightness: 0.5 },
    actionButton: { driver: 'libgpiod', pin: 5 },
    muteButton: { driver: 'libgpiod', pin: 6 },
    tones: { driver: 'speaker', device: 'default' },
  },
} satisfies BoardDefinition;
