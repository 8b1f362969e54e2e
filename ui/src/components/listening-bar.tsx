import type { WireView } from '../../../src/display/protocol.ts';

const BAR_STATES = new Set(['listening', 'thinking', 'speaking', 'follow-up']);
// Said in words too, so the state is clear without colour or motion (reduced motion, a still photo).
const CAPTION: Record<string, string> = { listening: 'Listening…', thinking: 'Thinking…' };

/** The blue bar along the bottom edge: on exactly while the device listens, thinks or speaks. */
export function ListeningBar({ view }: { view: WireView }) {
  if (!BAR_STATES.has(view.state)) return null;
  const caption = CAPTION[view.state];
  return (
    <>
      {caption && <div class="bar-caption">{caption}</div>}
      <div class={`listening-bar bar-${view.state}`} role="status" aria-label={`Listening indicator: ${view.state}`} data-state={view.state} data-testid="listening-bar" />
    </>
  );
}
