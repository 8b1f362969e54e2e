import { describe, expect, it } from 'vitest';
import { identityFor, wakePhrase } from '../../../src/voice/esphome/create-esphome-satellite.ts';
import { compactMac, hostnameFor } from '../../../src/voice/esphome/device-identity.ts';
import { NOISE_PROTOCOL } from '../../../src/voice/esphome/noise-handshake.ts';
import type { EsphomeAdvertInfo } from '../../../src/voice/esphome/zeroconf.ts';
import { satelliteFixture } from './support/satellite-fixture.ts';

describe('ESPHome identity and zeroconf', () => {
  it('announces _esphomelib with the TXT fields HA discovery reads; api_encryption only when encrypted', async () => {
    for (const plaintext of [false, true]) {
      const adverts: EsphomeAdvertInfo[] = [];
      let stopped = 0;
      const fx = await satelliteFixture({
        plaintext,
        zeroconf: async (info) => {
          adverts.push(info);
          return { stop: async () => void stopped++ };
        },
      });
      await new Promise((r) => setTimeout(r, 10));
      expect(adverts).toHaveLength(1);
      expect(adverts[0]).toMatchObject({ name: 'tally-test', port: fx.sat.port });
      expect(adverts[0]!.txt).toMatchObject({ mac: '0200007a1101', friendly_name: 'Tally test', version: '0.1.0', project_name: 'Tally.Tally' });
      expect(adverts[0]!.txt.api_encryption).toBe(plaintext ? undefined : NOISE_PROTOCOL);
      await fx.close();
      expect(stopped).toBe(1);
    }
  });

  it('a stable identity: the same device id gives the same name and MAC-like id; names are hostname-safe', () => {
    const nics = { eth0: [{ address: '192.0.2.9', netmask: '', family: 'IPv4', mac: 'aa:bb:cc:dd:ee:ff', internal: false, cidr: null }] } as never;
    const a = identityFor('kitchen', nics);
    expect(identityFor('kitchen', nics)).toEqual(a);
    expect(a.name).toBe('tally-kitchen');
    expect(a.mac).toMatch(/^02:00(:[0-9A-F]{2}){4}$/);
    expect(compactMac(a.mac)).toMatch(/^0200[0-9a-f]{8}$/);
    expect(identityFor('hall', nics).mac).not.toBe(a.mac);
    expect(identityFor('tally', nics).name).toBe('tally');
    expect(hostnameFor('My Kitchen!')).toBe('my-kitchen');
    expect(wakePhrase('hey_jarvis')).toBe('Hey Jarvis');
    expect(wakePhrase('/models/okay_tally_v0.1.onnx')).toBe('Okay Tally');
  });
});
