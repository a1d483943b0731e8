// Every page of the UI in one table: the URL pattern, the page it shows, and (for pages in the
// main navigation) its label. A new page is one row here; nothing else routes.
import type { JSX } from 'preact';
import type { Me } from './api.js';
import { BrandPage, BrandsPage } from './pages/brands.js';
import { EntityPage } from './pages/entity.js';
import { IngestPage } from './pages/ingest.js';
import { NotificationsPage } from './pages/notifications.js';
import { PackPage, PacksPage } from './pages/packs.js';
import { OverviewPage, SearchPage } from './pages/overview.js';
import { PivotPage } from './pages/pivot.js';
import { SettingsPage } from './pages/settings.js';
import { SignatureEditor } from './pages/signature-editor.js';
import { SignaturesPage } from './pages/signature-list.js';
import { TagsPage } from './pages/tags.js';
import { matchRoute, type Params } from './route-match.js';
import type { Location } from './router.js';


export interface Route {
  /** Path segments: `name` literally, `:name` one segment, `*name` the rest (may be empty), `?` after a name: optional. */
  readonly pattern: string;
  readonly page: (params: Params, loc: Location, me: Me) => JSX.Element;
  /** The main navigation entry this page belongs to (highlighted while it is shown). */
  readonly nav: string;
}

/** The main navigation, in order: its path and label. */
export const NAV: readonly { readonly path: string; readonly label: string }[] = [
  { path: '/', label: 'Overview' },
  { path: '/signatures', label: 'Signatures' },
  { path: '/tags', label: 'Tags' },
  { path: '/brands', label: 'Brands' },
  { path: '/notifications', label: 'Notifications' },
  { path: '/ingest', label: 'Ingest' },
  { path: '/settings', label: 'Settings' },
];

/** First match wins. */
export const ROUTES: readonly Route[] = [
  { pattern: '/', nav: '/', page: () => <OverviewPage /> },
  { pattern: '/search', nav: '/', page: (_p, loc) => <SearchPage query={loc.query} /> },
  { pattern: '/entity/*id', nav: '/', page: (p) => <EntityPage id={p.id!} /> },
  { pattern: '/pivot', nav: '/', page: (_p, loc) => <PivotPage query={loc.query} /> },
  { pattern: '/tags', nav: '/tags', page: () => <TagsPage /> },
  { pattern: '/brands', nav: '/brands', page: () => <BrandsPage /> },
  { pattern: '/brands/:brand', nav: '/brands', page: (p) => <BrandPage brand={p.brand!} /> },
  { pattern: '/signatures/new', nav: '/signatures', page: () => <SignatureEditor id={undefined} /> },
  { pattern: '/signatures/:id', nav: '/signatures', page: (p) => <SignatureEditor id={p.id} /> },
  { pattern: '/signatures', nav: '/signatures', page: () => <SignaturesPage /> },
  { pattern: '/packs', nav: '/signatures', page: () => <PacksPage /> },
  { pattern: '/packs/:publisher/:pack', nav: '/signatures', page: (p) => <PackPage publisher={p.publisher!} pack={p.pack!} /> },
  { pattern: '/notifications/channels', nav: '/notifications', page: (_p, loc, me) => <NotificationsPage query={loc.query} tab="channels" me={me} /> },
  { pattern: '/notifications', nav: '/notifications', page: (_p, loc, me) => <NotificationsPage query={loc.query} tab="list" me={me} /> },
  { pattern: '/ingest/:job?', nav: '/ingest', page: (p) => <IngestPage job={p.job} /> },
  { pattern: '/settings/:tab?', nav: '/settings', page: (p, _loc, me) => <SettingsPage tab={p.tab ?? 'users'} me={me} /> },
];

export function findRoute(path: string): { route: Route; params: Params } | undefined {
  for (const route of ROUTES) {
    const params = matchRoute(route.pattern, path);
    if (params) return { route, params };
  }
  return undefined;
}
