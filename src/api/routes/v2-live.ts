// The /v2 WHOIS, SSL and passive-DNS routes answer from their own queries; a view through them
// first brings the entity up to date with live look-ups (live.md), as any view does.
import { isoSeconds } from '../../services/clock.js';
import { refreshLive, type EntityRef } from '../../services/lookup.js';
import type { AppContext } from '../context.js';

export async function liveFirst(ctx: AppContext, org: string, ref: EntityRef): Promise<void> {
  await refreshLive(ctx.store, ref, { org, now: isoSeconds(ctx.clock()), live: { lookups: ctx.live } });
}
