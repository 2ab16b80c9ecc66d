import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Button, Input, Popover, Select, Space } from 'antd';
import { useState } from 'react';
import { api, unwrap } from '../../api/client';
import { describeError } from '../../components/ErrorView';
import { useI18n } from '../../i18n/i18n';
import { filterPart, queryFromParams, type ItemQuery } from '../../lib/itemQuery';

/** Filters saved per user on the server (GET/POST/DELETE /api/me/saved-filters). */
export function SavedFilters({ query, onApply }: { query: ItemQuery; onApply: (q: ItemQuery) => void }) {
  const { t, locale } = useI18n();
  const en = locale === 'en';
  const { message } = App.useApp();
  const qc = useQueryClient();
  const [name, setName] = useState('');
  const [open, setOpen] = useState(false);
  const saved = useQuery({ queryKey: ['saved-filters'], queryFn: () => unwrap(api.GET('/api/me/saved-filters')), retry: false });
  const save = useMutation({
    mutationFn: () => unwrap(api.POST('/api/me/saved-filters', { body: { name: name.trim(), query: filterPart(query) } })),
    onSuccess: () => {
      setOpen(false);
      setName('');
      void qc.invalidateQueries({ queryKey: ['saved-filters'] });
      void message.success(en ? 'Filter saved' : '已保存筛选条件');
    },
    onError: (e) => void message.error(describeError(e, t)),
  });
  const remove = useMutation({
    mutationFn: (id: string) => unwrap(api.DELETE('/api/me/saved-filters/{id}', { params: { path: { id } } })),
    onSuccess: () => void qc.invalidateQueries({ queryKey: ['saved-filters'] }),
    onError: (e) => void message.error(describeError(e, t)),
  });
  if (saved.isError) return null; // the api does not offer saved filters (yet)
  return (
    <Space size={4}>
      <Select
        aria-label={en ? 'Saved filters' : '常用筛选'}
        placeholder={en ? 'Saved filters' : '常用筛选'}
        style={{ width: 160 }}
        value={null}
        loading={saved.isPending}
        onChange={(id: string) => {
          const f = saved.data?.find((x) => x.id === id);
          if (f) onApply(queryFromParams(new URLSearchParams(Object.entries(f.query).map(([k, v]) => [k, String(v)]))));
        }}
        options={(saved.data ?? []).map((f) => ({
          value: f.id,
          label: (
            <Space style={{ width: '100%', justifyContent: 'space-between' }}>
              <span>{f.name}</span>
              <a
                role="button"
                aria-label={`${t('common.delete')} ${f.name}`}
                onClick={(e) => {
                  e.stopPropagation();
                  remove.mutate(f.id);
                }}
              >
                ×
              </a>
            </Space>
          ),
        }))}
      />
      <Popover
        open={open}
        onOpenChange={setOpen}
        trigger="click"
        content={
          <Space.Compact>
            <Input
              aria-label={en ? 'Name' : '名称'}
              placeholder={en ? 'Name' : '名称'}
              maxLength={100}
              value={name}
              onChange={(e) => setName(e.target.value)}
              onPressEnter={() => name.trim() && save.mutate()}
            />
            <Button type="primary" disabled={!name.trim()} loading={save.isPending} onClick={() => save.mutate()}>
              {t('common.save')}
            </Button>
          </Space.Compact>
        }
      >
        <Button>{en ? 'Save filter' : '保存筛选'}</Button>
      </Popover>
    </Space>
  );
}
