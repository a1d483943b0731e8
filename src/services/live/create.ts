// The live look-ups of a process, wired to the real fetchers (src/live/) with its settings.
import { LiveLookups, type LiveFetchers } from './live.js';
import type { LiveSettings } from './settings.js';

function notYet(): never {
  throw new Error('live fetchers are not wired yet');
}

export function liveFetchers(settings: LiveSettings): LiveFetchers {
  void settings;
  return { registration: notYet, dns: notYet, tls: notYet, ipRegistration: notYet };
}

export function createLiveLookups(settings: LiveSettings): LiveLookups {
  return new LiveLookups(settings, liveFetchers(settings));
}
