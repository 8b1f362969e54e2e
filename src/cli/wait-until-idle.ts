import type { Device } from '../core/device-types.ts';

const RESTING = new Set(['idle', 'offline', 'muted', 'fault']);

/** Resolves true once the device is at rest (no stream, no request in flight), false on timeout. */
export function waitUntilIdle(device: Device, opts: { timeoutMs: number }): Promise<boolean> {
  return new Promise((resolve) => {
    const atRest = () => RESTING.has(device.view.state) && !device.view.stream;
    if (atRest()) return resolve(true);
    const timer = setTimeout(() => {
      off();
      resolve(false);
    }, opts.timeoutMs);
    const off = device.on('change', () => {
      if (!atRest()) return;
      clearTimeout(timer);
      off();
      resolve(true);
    });
  });
}
