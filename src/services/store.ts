// The Store facade as services take it: a route or command that holds a store (to hand it to
// services, to close it) names its type from here, never from store/ (the lint rule of
// eslint.config.js). Opening one is cli/store-options.ts's business (openStore, withStore).
export type { Store } from '../store/store.js';
