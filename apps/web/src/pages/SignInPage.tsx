import { useState, type FormEvent } from 'react';
import { Navigate, useNavigate, useSearchParams } from 'react-router';
import { ApiError } from '../api/errors';
import { useSession } from '../auth/session';
import { useI18n } from '../i18n/i18n';

/** Only app-internal paths are followed after sign-in (no open redirect). */
export function safeNext(next: string | null): string {
  return next && next.startsWith('/') && !next.startsWith('//') && !next.startsWith('/login') ? next : '/';
}

/** Plain HTML and CSS, no component library: the first page must load fast on an old PC. */
export function SignInPage() {
  const { state, signIn } = useSession();
  const { t, locale, setLocale } = useI18n();
  const [params] = useSearchParams();
  const navigate = useNavigate();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const next = safeNext(params.get('next'));

  if (state.status === 'signed-in') return <Navigate to={next} replace />;

  const submit = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    setBusy(true);
    setError(null);
    try {
      await signIn(form.get('email') as string, form.get('password') as string);
      await navigate(next, { replace: true });
    } catch (err) {
      if (err instanceof ApiError && err.status === 429) setError(t('auth.tooMany'));
      else if (err instanceof ApiError && (err.status === 401 || err.status === 400)) setError(t('auth.failed'));
      else setError(t('error.network'));
    } finally {
      setBusy(false);
    }
  };

  return (
    <main className="sign-in">
      <form className="sign-in-card" onSubmit={(e) => void submit(e)} aria-labelledby="sign-in-title">
        <h1 id="sign-in-title">{t('app.name')}</h1>
        <p className="sub">{t('app.subtitle')}</p>
        <label htmlFor="email">{t('auth.email')}</label>
        <input id="email" name="email" type="email" autoComplete="username" required autoFocus />
        <label htmlFor="password">{t('auth.password')}</label>
        <input id="password" name="password" type="password" autoComplete="current-password" required />
        <button type="submit" disabled={busy}>
          {busy ? t('common.loading') : t('auth.signIn')}
        </button>
        {error && (
          <div className="error" role="alert">
            {error}
          </div>
        )}
        <div className="lang">
          <button type="button" onClick={() => setLocale(locale === 'en' ? 'zh-CN' : 'en')}>
            {t('common.language')}
          </button>
        </div>
      </form>
    </main>
  );
}
