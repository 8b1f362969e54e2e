import type { BoardDefinition } from '../hal/board-definition.ts';

/**
 * Raspberry Pi 5 with a NeoPixel ring driven over SPI (rpi_ws281x cannot drive the RP1):
 * each LED bit is sent as 3 SPI bits at 2.4 MHz (hal/drivers/ring-encoding.ts).
 *
 *   ring data    GPIO10  pin 19  (SPI0 MOSI; enable SPI: dtparam=spi=on; level shifter)
 *   (SPI0 SCLK   GPIO11  pin 23  is claimed by the bus, leave unconnected)
 *   relay coil   GPIO17  pin 11
 *   relay sense  GPIO27  pin 13
 *   mute LED     GPIO22  pin 15
 *   action btn   GPIO5   pin 29  (to GND, active low)
 *   mute btn     GPIO6   pin 31  (to GND, active low)
 *
 * GPIO via libgpiod; the header chip is found by its label `pinctrl-rp1` (gpiochip4 on
 * early Pi 5 kernels, gpiochip0 since 6.6.y).
 */
export const rpi5NeopixelSpiBoard = {
  name: 'rpi5-neopixel-spi',
  description: 'Raspberry Pi 5: NeoPixel ring on SPI0 MOSI (GPIO10), mic-kill relay with sense line, red LED, action and mute buttons',
  // Starting estimate of speaker → mic delay (ALSA buffers + air); refined while playing.
  aec: { canceller: 'speex', delayMs: 100 },
  roles: {
    microphone: { driver: 'alsa', device: 'default' },
    relay: { driver: 'libgpiod', pin: 17, sensePin: 27 },
    muteLed: { driver: 'libgpiod', pin: 22 },
    ring: { driver: 'ws281x-spi', pixelCount: 12, spiBus: 0, spiDevice: 0, order: 'grb', maxBrightness: 0.5 },
    actionButton: { driver: 'libgpiod', pin: 5 },
    muteButton: { driver: 'libgpiod', pin: 6 },
    tones: { driver: 'speaker', device: 'default' },
  },
} satisfies BoardDefinition;
