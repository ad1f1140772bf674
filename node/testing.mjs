// ESM entry of aliprefetch/testing: the CommonJS module's functions.
import testing from './testing.js';

export const { withEmulator, useEmulator } = testing;
export default testing;
