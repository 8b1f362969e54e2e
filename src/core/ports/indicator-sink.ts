import type { AttentionView } from '../attention/types.ts';

/**
 * Something that shows the attention state to the owner: the light ring, the screen.
 * `render` resolves only once the view is really visible (ring frame latched, screen
 * bar painted) and rejects when it cannot be shown. The privacy gate waits for every
 * attached sink to acknowledge the listening view before the first audio byte leaves.
 */
export interface IndicatorSink {
  readonly name: string;
  render(view: AttentionView): Promise<void>;
}
