import type { SimBoard } from '../../hal/sim/sim-board.ts';
import type { TallyDevice } from '../core/device.ts';
import type { ScriptedWakeDetector } from '../wake/scripted-wake-detector.ts';
import type { IndicatorSink } from '../core/ports/indicator-sink.ts';
import type { CliIO } from './io.ts';
import { ringBlocks } from './ring-blocks.ts';

/**
 * The keyboard-driven terminal view of `tally start`: the ring as coloured blocks, the
 * red LED, relay, state, and every ledger entry. Keys: a = action button, m = mute,
 * w = say the wake word (scripted detection), q = quit. Without a TTY it prints one
 * line per change instead (scripted runs, CI). What was understood and answered is shown
 * only on an interactive terminal (the owner's own screen), never in a pipe or a log.
 */
export interface TerminalViewOptions {
  device: TallyDevice;
  sim: SimBoard | null;
  scriptedWake: ScriptedWakeDetector | null;
  io: CliIO;
  interactive: boolean;
  /** Keys the board's own keyboard-driven buttons read: the view leaves them alone. */
  boardKeys?: ReadonlySet<string>;
  onQuit: () => void;
}

export interface TerminalView {
  close(): void;
  /**
   * The status line as a listening indicator, for boards without a light ring (desktop):
   * it is written synchronously to the terminal the owner is looking at. Only offered
   * for an interactive terminal; a pipe is nobody's indicator.
   */
  indicator: IndicatorSink | null;
}

/** Transcript and reply text, for the owner's terminal only (the caller checks that). */
export function showWords(device: Pick<TallyDevice, 'on'>, line: (text: string) => void): (() => void)[] {
  return [
    device.on('transcript', (_id, text) => line(`you said: "${text}"`)),
    device.on('response-text', (_id, text) => line(`reply:    "${text}"`)),
  ];
}

export function startTerminalView(o: TerminalViewOptions): TerminalView {
  const { device, io } = o;
  const offs: (() => void)[] = [];
  const status = statusLine(o.device, o.sim, o.interactive && !io.env.NO_COLOR);
  const line = (text: string) => {
    if (o.interactive) io.out(`\r\x1b[2K${text}`);
    else io.out(text);
  };
  const redraw = () => {
    if (o.interactive) process.stdout.write(`\r\x1b[2K${status()}`);
  };

  io.out(`Tally on board "${device.boardName}" — voice service: ${device.voiceLabel}`);
  if (device.view.notice) io.out(`notice: ${device.view.notice.code} — started muted because the saved mute state could not be read; press mute to unmute`);
  if (o.interactive) io.out('keys: [a] action button  [m] mute  [w] say the wake word  [q] quit');

  let lastState = '';
  offs.push(
    device.on('change', (v) => {
      if (!o.interactive && v.state !== lastState) line(`state: ${v.state}${v.stream ? ` (stream ${v.stream.id}, ${v.stream.trigger})` : ''}`);
      lastState = v.state;
      redraw();
    }),
    device.ledger.on('closed', (e) => {
      line(
        `ledger: stream ${e.streamId} ${e.trigger}${e.wakeWord ? ` "${e.wakeWord}"` : ''} → ${e.destination}: ${e.audioBytes} bytes, pre-roll ${e.preRollMs} ms, ${((e.endedAt! - e.startedAt) / 1000).toFixed(1)} s, ended: ${e.endReason}`,
      );
      redraw();
    }),
    device.on('problem', (code) => {
      line(`problem: ${code}`);
      redraw();
    }),
  );
  if (o.interactive) {
    offs.push(readKeys(o, line, redraw));
    offs.push(...showWords(device, (t) => (line(t), redraw())));
  }
  redraw();
  const indicator: IndicatorSink | null = o.interactive
    ? {
        name: 'terminal',
        render: async () => {
          redraw();
        },
      }
    : null;
  return {
    indicator,
    close: () => {
      for (const off of offs) off();
    },
  };
}

/** Ring, red LED, relay and state in one line. */
function statusLine(device: TallyDevice, sim: SimBoard | null, colour: boolean): () => string {
  return () => {
    const v = device.view;
    const ring = sim?.ring ? ringBlocks(sim.ring.current, colour) : '(no ring)';
    const led = sim?.muteLed ? (sim.muteLed.isOn ? (colour ? '\x1b[31m●\x1b[0m' : 'ON') : colour ? '○' : 'off') : '-';
    const relay = sim?.relay ? `relay ${sim.relay.commanded}${sim.relay.hasSense ? ` (sense ${sim.relay.senseValue()})` : ''}` : 'software mute';
    const extra = v.fault ? ` FAULT ${v.fault.code}` : v.error ? ` ${v.error.code}` : v.notice ? ` (${v.notice.code})` : '';
    return `ring ${ring}  red LED ${led}  ${relay}  state ${v.state}${extra}`;
  };
}

/** The interactive keys (and the redraw tick). Returns the undo. */
function readKeys(o: TerminalViewOptions, line: (text: string) => void, redraw: () => void): () => void {
  const { device, sim } = o;
  const timer = setInterval(redraw, 100);
  const stdin = o.io.stdin;
  stdin.setRawMode?.(true);
  stdin.resume();
  const onData = (data: Buffer) => {
    for (const ch of data.toString('utf8')) {
      if (o.boardKeys?.has(ch)) continue;
      if (ch === 'q' || ch === '\u0003') return o.onQuit();
      if (ch === 'a') (sim?.actionButton ? sim.actionButton.press() : device.send({ type: 'button-press' }));
      if (ch === 'm') (sim?.muteButton ? sim.muteButton.press() : device.send({ type: 'mute-toggle' }));
      if (ch === 'w' && o.scriptedWake && !o.scriptedWake.trigger()) line('(wake word not heard: the mic is off)');
    }
  };
  stdin.on('data', onData);
  return () => {
    clearInterval(timer);
    stdin.off('data', onData);
    stdin.setRawMode?.(false);
    stdin.pause();
    process.stdout.write('\n');
  };
}
