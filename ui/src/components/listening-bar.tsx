import type { WireView } from '../../../src/display/protocol.ts';

const BAR_STATES = new Set(['listening', 'thinking', 'speaking', 'follow-up']);

/** The blue bar along the bottom edge: on exactly while the device listens, thinks or speaks. */
export function ListeningBar({ view }: { view: WireView }) {
  if (!BAR_STATES.has(view.state)) return null;
  return <div class={`listening-bar bar-${view.state}`} role="status" aria-label={`Listening indicator: ${view.state}`} data-state={view.state} data-testid="listening-bar" />;
}
