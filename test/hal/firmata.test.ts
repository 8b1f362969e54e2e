import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../hal/base/clock.ts';
import { FirmataBackend } from '../../hal/drivers/firmata/firmata-backend.ts';
import { openFirmata } from '../../hal/drivers/firmata/firmata-connection.ts';
import { SharedFirmata } from '../../hal/drivers/firmata/shared-firmata.ts';
import { GpioLed, GpioRelay, openGpioButton } from '../../hal/drivers/gpio/gpio-devices.ts';
import { createFakeFirmataIo } from '../../hal/fakes/fake-firmata.ts';

describe('Firmata (johnny-five over mock-firmata)', () => {
  it('sets pin modes: outputs OUTPUT and driven inactive at once, buttons INPUT_PULLUP, sense INPUT', async () => {
    const io = createFakeFirmataIo();
    const backend = new FirmataBackend(io, '/dev/ttyACM0');
    await GpioRelay.open(backend, 7, { sensePin: 8 });
    await openGpioButton(backend, 2, new ManualClock(), { activeLow: true });
    expect(io.modes.get(7)).toBe(io.MODES.OUTPUT);
    expect(io.writes[0]).toEqual({ pin: 7, value: 0 });
    expect(io.modes.get(8)).toBe(io.MODES.INPUT); // sense: external pull-down
    expect(io.modes.get(2)).toBe(0x0b); // button to GND: INPUT_PULLUP
  });

  it('a lost serial connection fails closed: relay writes reject, the button reports an error', async () => {
    const io = createFakeFirmataIo();
    const backend = new FirmataBackend(io, '/dev/ttyACM0');
    const relay = await GpioRelay.open(backend, 7);
    const clock = new ManualClock();
    const button = await openGpioButton(backend, 2, clock, { activeLow: true });
    const errors: string[] = [];
    button.on('error', (e) => errors.push(e.code));
    io.emit('close');
    await expect(relay.set('closed')).rejects.toMatchObject({ code: 'DEVICE_WRITE_FAILED' });
    expect(relay.commanded).toBe('open');
    expect(errors).toEqual(['DEVICE_READ_FAILED']);
    await expect(GpioLed.open(backend, 12)).rejects.toMatchObject({ code: 'DEVICE_UNAVAILABLE' });
  });

  it('one serial connection serves every role and closes with the last line', async () => {
    const io = createFakeFirmataIo();
    io.emit('ready');
    const conn = await openFirmata('/dev/ttyACM0', { io });
    let closes = 0;
    let idle = 0;
    const shared = new SharedFirmata({ ...conn, close: async () => void closes++ }, () => idle++);
    const relay = await GpioRelay.open(shared, 7, { sensePin: 8 });
    const led = await GpioLed.open(shared, 12);
    await relay.close();
    expect(closes).toBe(0);
    await led.close();
    await led.close();
    expect(closes).toBe(1);
    expect(idle).toBe(1);
  });

  it('a board that never answers is DEVICE_UNAVAILABLE naming the port', async () => {
    const io = createFakeFirmataIo(); // never emits ready
    await expect(openFirmata('/dev/ttyACM9', { io, timeoutMs: 50 })).rejects.toMatchObject({
      code: 'DEVICE_UNAVAILABLE',
      message: expect.stringContaining('/dev/ttyACM9'),
    });
  });
});
