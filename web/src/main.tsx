// The analyst's web UI: sign in, then one page per task, each state a URL.
import { render, type JSX } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { ApiFailure, currentOrg, del, get, message, post, setCsrf, whenUnauthorized, type Me } from './api.js';
import { Link, navigate, useLocation, type Location } from './router.js';
import { QuickLookup } from './quick-lookup.js';
import { findRoute, NAV } from './routes.js';
import { ShortcutHelp, useShortcuts } from './shortcuts.js';
import { RoleProvider } from './ui.js';
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

function NotFound({ path }: { path: string }): JSX.Element {
  return (
    <div class="card">
      <h1>Not found</h1>
      <p>
        No page at <code>{path}</code>. <Link href="/">Back to the overview</Link>.
      </p>
    </div>
  );
}

function Page({ loc, me }: { loc: Location; me: Me }): JSX.Element {
  const found = findRoute(loc.path);
  return found ? found.route.page(found.params, loc, me) : <NotFound path={loc.path} />;
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
    const title = NAV.find((n) => n.path === findRoute(loc.path)?.route.nav)?.label;
    document.title = title ? `${title} · Warren` : 'Warren';
  }, [loc.path]);
  if (me === undefined) return <main class="boot">Loading…</main>;
  if (me === null) return <SignIn onSignedIn={setMe} />;
  return <Shell me={me} loc={loc} onSignedOut={() => setMe(null)} />;
}

/** The signed-in UI: the top bar (collapsed behind a menu button on a phone) and the page. */
function Shell({ me, loc, onSignedOut }: { me: Me; loc: Location; onSignedOut: () => void }): JSX.Element {
  const [menu, setMenu] = useState(false);
  const keys = useShortcuts();
  // A page chosen from the menu closes it.
  useEffect(() => setMenu(false), [loc.path]);
  const signOut = async (): Promise<void> => {
    try {
      await del('/session');
    } finally {
      setCsrf(undefined);
      onSignedOut();
      navigate('/');
    }
  };
  const org = currentOrg(me);
  return (
    <div class="shell">
      <a class="skip" href="#main">
        Skip to content
      </a>
      <header class={menu ? 'top open' : 'top'}>
        <Link href="/" class="brand">
          <span class="logo" aria-hidden="true">
            ◆
          </span>{' '}
          Warren
        </Link>
        <QuickLookup />
        <button type="button" class="menu-toggle" aria-expanded={menu} aria-controls="top-menu" onClick={() => setMenu(!menu)} data-testid="menu-toggle">
          <span aria-hidden="true">☰</span> Menu
        </button>
        <div class="top-menu" id="top-menu">
          <nav aria-label="main">
            {NAV.map(({ path, label }) => {
              const here = findRoute(loc.path)?.route.nav === path;
              return (
                <Link key={path} href={path} class={here ? 'active' : ''} aria-current={here ? 'page' : undefined}>
                  {label}
                </Link>
              );
            })}
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
        </div>
      </header>
      <main id="main" tabIndex={-1}>
        <RoleProvider role={org?.role}>
          <Page loc={loc} me={me} />
        </RoleProvider>
      </main>
      <ShortcutHelp open={keys.help} onClose={keys.closeHelp} />
    </div>
  );
}

render(<App />, document.getElementById('app')!);
