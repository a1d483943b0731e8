// The analyst's web UI: sign in, then one page per task, each state a URL.
import { render, type JSX } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { ApiFailure, currentOrg, del, get, message, post, setCsrf, whenUnauthorized, type Me } from './api.js';
import { EntityPage } from './pages/entity.js';
import { IngestPage } from './pages/ingest.js';
import { NotificationsPage } from './pages/notifications.js';
import { OverviewPage, SearchPage } from './pages/overview.js';
import { SettingsPage } from './pages/settings.js';
import { SignatureEditor, SignaturesPage } from './pages/signatures.js';
import { Link, navigate, useLocation, type Location } from './router.js';
import './style.css';

function SignIn({ onSignedIn }: { onSignedIn: (me: Me) => void }): JSX.Element {
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);
  const submit = async (e: Event): Promise<void> => {
    e.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      const s = await post<{ email: string; csrf: string }>('/session', { email, password });
      setCsrf(s.csrf);
      onSignedIn(await get<Me>('/me'));
    } catch (err) {
      setError(err instanceof ApiFailure && err.status === 401 ? 'Wrong email or password.' : message(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <main class="signin" data-testid="page-signin">
      <form class="card" onSubmit={(e) => void submit(e)} aria-labelledby="signin-title">
        <h1 id="signin-title">
          <span class="logo" aria-hidden="true">
            ◆
          </span>{' '}
          Warren
        </h1>
        <p class="muted">Threat-infrastructure signatures. Sign in to continue.</p>
        <label>
          Email
          <input type="email" name="email" autoComplete="username" required value={email} onInput={(e) => setEmail(e.currentTarget.value)} />
        </label>
        <label>
          Password
          <input type="password" name="password" autoComplete="current-password" required value={password} onInput={(e) => setPassword(e.currentTarget.value)} />
        </label>
        <div class="error-slot">
          {error ? (
            <p class="error" role="alert">
              {error}
            </p>
          ) : null}
        </div>
        <button type="submit" class="primary" disabled={busy}>
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
      </form>
    </main>
  );
}

const NAV: [string, string][] = [
  ['/', 'Overview'],
  ['/signatures', 'Signatures'],
  ['/notifications', 'Notifications'],
  ['/ingest', 'Ingest'],
  ['/settings', 'Settings'],
];

function active(loc: Location, path: string): boolean {
  if (path === '/') return loc.path === '/' || loc.path.startsWith('/entity/') || loc.path === '/search';
  return loc.path === path || loc.path.startsWith(`${path}/`);
}

function Page({ loc, me }: { loc: Location; me: Me }): JSX.Element {
  const p = loc.path;
  const parts = p.split('/').filter(Boolean);
  if (p === '/' || p === '') return <OverviewPage />;
  if (parts[0] === 'search') return <SearchPage query={loc.query} />;
  if (parts[0] === 'entity' && parts[1]) return <EntityPage id={parts.slice(1).join('/')} />;
  if (parts[0] === 'signatures' && parts[1] === 'new') return <SignatureEditor id={undefined} />;
  if (parts[0] === 'signatures' && parts[1]) return <SignatureEditor id={parts[1]} />;
  if (parts[0] === 'signatures') return <SignaturesPage />;
  if (parts[0] === 'notifications') return <NotificationsPage query={loc.query} tab={parts[1] === 'channels' ? 'channels' : 'list'} />;
  if (parts[0] === 'ingest') return <IngestPage job={parts[1]} />;
  if (parts[0] === 'settings') return <SettingsPage tab={parts[1] ?? 'users'} me={me} />;
  return (
    <div class="card">
      <h1>Not found</h1>
      <p>
        No page at <code>{p}</code>. <Link href="/">Back to the overview</Link>.
      </p>
    </div>
  );
}

function App(): JSX.Element {
  const loc = useLocation();
  const [me, setMe] = useState<Me | null | undefined>(undefined);
  useEffect(() => {
    whenUnauthorized(() => setMe(null));
    get<Me>('/me').then(
      (m) => {
        setCsrf(m.csrf);
        setMe(m);
      },
      () => setMe(null),
    );
  }, []);
  useEffect(() => {
    const title = NAV.find(([path]) => active(loc, path))?.[1];
    document.title = title ? `${title} · Warren` : 'Warren';
  }, [loc.path]);
  if (me === undefined) return <main class="boot">Loading…</main>;
  if (me === null) return <SignIn onSignedIn={setMe} />;
  const signOut = async (): Promise<void> => {
    try {
      await del('/session');
    } finally {
      setCsrf(undefined);
      setMe(null);
      navigate('/');
    }
  };
  const org = currentOrg(me);
  return (
    <div class="shell">
      <a class="skip" href="#main">
        Skip to content
      </a>
      <header class="top">
        <Link href="/" class="brand">
          <span class="logo" aria-hidden="true">
            ◆
          </span>{' '}
          Warren
        </Link>
        <nav aria-label="main">
          {NAV.map(([path, label]) => (
            <Link key={path} href={path} class={active(loc, path) ? 'active' : ''} aria-current={active(loc, path) ? 'page' : undefined}>
              {label}
            </Link>
          ))}
        </nav>
        <div class="who">
          <span data-testid="whoami">
            {me.email}
            {org ? ` · ${org.org} (${org.role})` : ''}
          </span>
          <button type="button" onClick={() => void signOut()}>
            Sign out
          </button>
        </div>
      </header>
      <main id="main" tabIndex={-1}>
        <Page loc={loc} me={me} />
      </main>
    </div>
  );
}

render(<App />, document.getElementById('app')!);
