import { chromium } from 'playwright-core';
import { TypedEmitter } from '../hal/base/typed-emitter.ts';
import type { AttentionState, AttentionView } from '../src/core/attention/types.ts';
import { SystemClock } from '../hal/base/clock.ts';
import type { Device, DeviceEvents } from '../src/core/device-types.ts';
import { startDisplayBridge } from '../src/display/bridge.ts';
import type { IndicatorSink } from '../src/core/ports/indicator-sink.ts';
import { TransparencyLedger } from '../src/core/ledger/transparency-ledger.ts';
import { defaultSettings } from '../src/core/settings/schema.ts';
import { measured, summarize, type BenchModule, type BenchResult } from './types.ts';
import { bareDoubleRafAcks, bareEchoRoundTrips } from './bare-paint-ack.ts';

/**
 * The screen's half of invariant 1: from a state change to "blue bar painted and
 * acknowledged", in real Chromium. Two figures:
 * - in the page: view message received → ack sent (render + two animation frames);
 * - in the device: indicator.render(view) called → acknowledgement received;
 * each against its fair floor in the same browser, same run: a blank page that waits the
 * same two animation frames after a message (bare-paint-ack.ts) — in the page, and as a
 * loopback WebSocket round trip. The bare WebSocket request round trip to the bridge
 * (no rendering) is kept as a separate line.
 */
export const suite = 'display';
export const needs: BenchModule['needs'] = ['ui'];

class BenchDevice extends TypedEmitter<DeviceEvents> {
  clock = new SystemClock();
  ledger = new TransparencyLedger();
  settings = defaultSettings();
  boardName = 'bench';
  sinks: IndicatorSink[] = [];
  view: AttentionView = {
    version: 1, state: 'idle', stream: null, lastStreamEnd: null, muted: false, softwareMute: false, paused: false, online: true,
    fault: null, followUpEndsAt: null, followUpMs: null, talkerDirection: null, notification: null, timers: [], night: false, error: null, scheduledMute: false, ownerMuted: false, pushToTalk: false, micPowered: true, confirm: null, notice: null,
  };
  attachIndicator(sink: IndicatorSink) {
    this.sinks.push(sink);
    return () => (this.sinks = this.sinks.filter((s) => s !== sink));
  }
  send() {}
  updateSettings() {}
  async change(state: AttentionState): Promise<number> {
    this.view = { ...this.view, state, version: this.view.version + 1 };
    const t0 = performance.now();
    const acked = Promise.all(this.sinks.map((s) => s.render(this.view)));
    this.emit('change', this.view);
    await acked;
    return performance.now() - t0;
  }
}

export async function run({ quick }: { quick: boolean }): Promise<BenchResult[]> {
  const n = quick ? 20 : 200;
  const device = new BenchDevice();
  const bridge = await startDisplayBridge({ device: device as unknown as Device });
  const browser = await chromium.launch({
    executablePath: process.env.TALLY_CHROMIUM ?? '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update'],
  });
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await page.goto(bridge.url);
    await page.waitForSelector('.screen[data-state="idle"]');
    while (device.sinks.length === 0) await new Promise((r) => setTimeout(r, 10));
    await page.evaluate(() => ((globalThis as unknown as { __tally: { metrics: { ackMs: number[] } } }).__tally.metrics.ackMs.length = 0));

    const deviceMs: number[] = [];
    for (let i = 0; i < n; i++) {
      deviceMs.push(await device.change(i % 2 === 0 ? 'listening' : 'idle'));
      await new Promise((r) => setTimeout(r, 5));
    }
    const pageMs = await page.evaluate(() => (globalThis as unknown as { __tally: { metrics: { ackMs: number[] } } }).__tally.metrics.ackMs.slice());

    // The reference runs after the renders: its bare socket counts as a second screen.
    const refMs = await page.evaluate(async (count) => {
      const token = new URLSearchParams(location.search).get('token')!;
      // A bare socket: a request round trip without any rendering.
      const ws = new WebSocket(`ws://${location.host}/ws?token=${token}`);
      await new Promise((r) => ws.addEventListener('message', r, { once: true }));
      const out: number[] = [];
      // No named closures in here: the bench runs through tsx, whose keepNames helper
      // does not exist in the page.
      let done: (() => void) | null = null;
      ws.onmessage = (e) => {
        if (JSON.parse(String(e.data)).type === 'result') done?.();
      };
      for (let i = 0; i < count; i++) {
        const t0 = performance.now();
        await new Promise<void>((resolve) => {
          done = resolve;
          ws.send(JSON.stringify({ type: 'request', id: i + 1, request: { op: 'get-settings' } }));
        });
        out.push(performance.now() - t0);
      }
      ws.close();
      return out;
    }, n);

    const bare = await bareDoubleRafAcks(browser, n);
    const echo = summarize(await bareEchoRoundTrips(browser, n));
    const ref = summarize(refMs);
    const barePage = summarize(bare.page);
    const bareTrip = summarize(bare.roundTrip);
    const inPage = summarize(pageMs);
    const inDevice = summarize(deviceMs);
    const r = (v: number) => Math.round(v * 100) / 100;
    const pageRef = 'blank page in the same Chromium: message → two animation frames';
    const deviceRef = 'loopback WebSocket → blank page, two animation frames → reply, same Chromium';
    return [
      { name: 'display.bar-ack.page.p50', value: r(inPage.p50), unit: 'ms', ref: measured(`${pageRef}, p50`, r(barePage.p50)), ratio: r(inPage.p50 / barePage.p50), samples: pageMs.length },
      { name: 'display.bar-ack.page.p99', value: r(inPage.p99), unit: 'ms', ref: measured(`${pageRef}, p99`, r(barePage.p99)), ratio: r(inPage.p99 / barePage.p99), samples: pageMs.length },
      { name: 'display.bar-ack.device.p50', value: r(inDevice.p50), unit: 'ms', ref: measured(`${deviceRef}, p50`, r(bareTrip.p50)), ratio: r(inDevice.p50 / bareTrip.p50), samples: n },
      { name: 'display.bar-ack.device.p99', value: r(inDevice.p99), unit: 'ms', ref: measured(`${deviceRef}, p99`, r(bareTrip.p99)), ratio: r(inDevice.p99 / bareTrip.p99), samples: n },
      { name: 'display.ws-roundtrip.p50', value: r(ref.p50), unit: 'ms', ref: measured('bare loopback WebSocket echo (ws server) from a blank page, same Chromium, p50', r(echo.p50)), ratio: r(ref.p50 / echo.p50), samples: n, note: 'a settings request to the bridge, no rendering' },
      { name: 'display.ws-roundtrip.p99', value: r(ref.p99), unit: 'ms', ref: measured('bare loopback WebSocket echo (ws server) from a blank page, same Chromium, p99', r(echo.p99)), ratio: r(ref.p99 / echo.p99), samples: n },
    ];
  } finally {
    await browser.close();
    await bridge.close();
  }
}
