import { Alert, Button } from 'antd';
import { ApiError } from '../api/errors';
import { useI18n, type I18n } from '../i18n/i18n';

/** What went wrong, in plain words: a failed request never leaves a blank page. */
export function describeError(error: unknown, t: I18n['t']): string {
  if (!(error instanceof ApiError)) return t('error.network');
  if (error.status >= 500) return t('error.server');
  if (error.status === 409 && /VERSION|STALE|CONFLICT/i.test(error.code)) return t('error.conflict');
  if (error.status === 422) return t('error.guard') + error.message;
  if (error.status === 403) return t('error.forbidden');
  const fields = Object.entries(error.fields);
  return fields.length ? `${error.message}（${fields.map(([k, v]) => `${k}: ${v}`).join('；')}）` : error.message;
}

export function ErrorView({ error, retry }: { error: unknown; retry?: () => void }) {
  const { t } = useI18n();
  return (
    <Alert
      type="error"
      showIcon
      title={t('common.failed')}
      description={describeError(error, t)}
      action={
        retry && (
          <Button size="small" onClick={retry}>
            {t('common.retry')}
          </Button>
        )
      }
    />
  );
}
