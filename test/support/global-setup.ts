// The device never builds its screen at start-up: the tests that start a screen need the
// bundle built once, here, when it is missing or older than its sources.
import { ensureUiBuilt } from '../../scripts/ui/ui-bundle.ts';

export default async function setup(): Promise<void> {
  await ensureUiBuilt();
}
