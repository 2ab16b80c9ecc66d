import { useMutation, useQueryClient, type QueryKey } from '@tanstack/react-query';
import { App } from 'antd';
import { useI18n } from '../i18n/i18n';
import { describeError } from './ErrorView';

/** A change with the usual ending: success note and refreshed lists, or the error in plain words. */
export function useAction<A>(fn: (arg: A) => Promise<unknown>, invalidate: QueryKey, done?: string) {
  const qc = useQueryClient();
  const { message } = App.useApp();
  const { t, locale } = useI18n();
  return useMutation({
    mutationFn: fn,
    onSuccess: () => {
      void message.success(done ?? (locale === 'en' ? 'Saved' : '已保存'));
      void qc.invalidateQueries({ queryKey: invalidate });
    },
    onError: (e) => void message.error(describeError(e, t)),
  });
}
