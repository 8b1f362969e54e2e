import { fileURLToPath } from 'node:url';

/**
 * The directory holding package.json, ui/ and the models, whether this code runs from its
 * TypeScript source (hal/base/package-root.ts) or from the production build
 * (dist/hal/base/package-root.js): files found relative to the package, not to a module,
 * keep working after `npm run build` moves the modules one level down.
 */
const built = import.meta.url.endsWith('.js');
export const PACKAGE_ROOT = fileURLToPath(new URL(built ? '../../../' : '../../', import.meta.url));
/** True when this process runs the compiled dist/ (plain node, no tsx). */
export const RUNNING_BUILT = built;
