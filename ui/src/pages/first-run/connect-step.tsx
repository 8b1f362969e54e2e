import type { ConnectionInfo } from '../../../../src/display/protocol.ts';
import { QrCode } from './qr-code.tsx';

function Field({ name, value, testId, stacked = false }: { name: string; value: string; testId: string; stacked?: boolean }) {
  return (
    <div class={`conn-field ${stacked ? 'stacked' : ''}`}>
      <span class="conn-name">{name}</span>
      <code class="conn-value" data-testid={testId}>
        {value}
      </code>
    </div>
  );
}

/**
 * What Home Assistant needs to add this device: the ESPHome way (host, port, encryption
 * key as text and QR) when the device runs it, the Wyoming way otherwise.
 */
export function ConnectStep({ c }: { c: ConnectionInfo }) {
  const host = c.hosts[0] ?? 'this device’s address';
  return (
    <div class="connect" data-testid="connect-step">
      {c.esphome && (
        <div class="conn-block" data-testid="connect-esphome">
          <p>In Home Assistant: Settings → Devices &amp; services → Add integration → ESPHome.</p>
          <div class="conn-grid">
            <div class="conn-fields">
              <Field name="Host" value={host} testId="conn-host" />
              <Field name="Port" value={String(c.esphome.port)} testId="conn-esphome-port" />
              {c.esphome.encryptionKey && <Field name="Encryption key" value={c.esphome.encryptionKey} testId="conn-key" stacked />}
            </div>
            {c.esphome.encryptionKey && <QrCode text={c.esphome.encryptionKey} label="Encryption key as a QR code" />}
          </div>
          {!c.esphome.encryptionKey && <p class="warn">This device runs the ESPHome API without encryption: anyone on your network could connect.</p>}
        </div>
      )}
      {c.wyoming && (
        <div class="conn-block" data-testid="connect-wyoming">
          <p>In Home Assistant: Settings → Devices &amp; services → Add integration → Wyoming Protocol.</p>
          <Field name="Host" value={host} testId="conn-host" />
          <Field name="Port" value={String(c.wyoming.port)} testId="conn-wyoming-port" />
          <p class="muted">The first Home Assistant that connects is paired; no other client hears the microphone.</p>
        </div>
      )}
      {!c.esphome && !c.wyoming && (
        <p data-testid="connect-none">
          This device runs the “{c.voice}” voice service, which Home Assistant cannot reach. Start it with <code>tally start --voice wyoming</code> and this step shows the host and port to enter.
        </p>
      )}
      {c.hosts.length > 1 && <p class="muted">Other addresses of this device: {c.hosts.slice(1).join(', ')}</p>}
    </div>
  );
}
