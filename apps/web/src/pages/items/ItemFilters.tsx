import { Button, Checkbox, Input, InputNumber, Select, Space } from 'antd';
import { useQuery } from '@tanstack/react-query';
import { api, unwrap } from '../../api/client';
import { useI18n } from '../../i18n/i18n';
import { LABELS } from '../../i18n/messages';
import { ITEM_STATES, withFilter, type ItemQuery } from '../../lib/itemQuery';
import { unitOptions, useUnits } from '../../lib/units';

const search = { showSearch: { optionFilterProp: 'label' as const }, allowClear: true };

/** The list's filters; every change goes to the address (and so to the query). */
export function ItemFilters({ query, onChange }: { query: ItemQuery; onChange: (q: ItemQuery) => void }) {
  const { label, locale, t } = useI18n();
  const en = locale === 'en';
  const units = useUnits();
  const batches = useQuery({ queryKey: ['batches'], queryFn: () => unwrap(api.GET('/api/batches')), staleTime: 300_000 });
  const set = (change: Partial<ItemQuery>) => onChange(withFilter(query, change));
  const enumOptions = (kind: 'domain' | 'source') => Object.keys(LABELS[kind]).map((v) => ({ value: v, label: label(kind, v) }));

  return (
    <Space wrap size={[8, 8]} style={{ marginBottom: 8 }} role="search" aria-label={en ? 'Filters' : '筛选'}>
      <Input.Search
        aria-label={en ? 'Text' : '关键词'}
        placeholder={en ? 'No., problem or feedback text' : '编号、问题或反馈原文'}
        defaultValue={query.q}
        key={query.q ?? ''}
        allowClear
        onSearch={(v) => set({ q: v.trim() || undefined })}
        style={{ width: 220 }}
      />
      <Select
        mode="multiple"
        aria-label={en ? 'State' : '整改状态'}
        placeholder={en ? 'State' : '整改状态'}
        value={query.state ?? []}
        onChange={(v: string[]) => set({ state: v })}
        options={ITEM_STATES.map((s) => ({ value: s, label: label('state', s) }))}
        style={{ minWidth: 150 }}
        maxTagCount="responsive"
        allowClear
      />
      <Select
        {...search}
        aria-label={en ? 'Batch' : '批次'}
        placeholder={en ? 'Batch' : '批次'}
        value={query.batchId}
        onChange={(v?: string) => set({ batchId: v })}
        options={(batches.data ?? []).map((b: { id: string; name: string }) => ({ value: b.id, label: b.name }))}
        style={{ width: 200 }}
        popupMatchSelectWidth={false}
      />
      <Select
        {...search}
        aria-label={en ? 'Source' : '问题来源'}
        placeholder={en ? 'Source' : '问题来源'}
        value={query.sourceType}
        onChange={(v?: ItemQuery['sourceType']) => set({ sourceType: v })}
        options={enumOptions('source')}
        style={{ width: 150 }}
        popupMatchSelectWidth={false}
      />
      <Select
        {...search}
        aria-label={en ? 'Lead unit' : '牵头单位'}
        placeholder={en ? 'Lead unit' : '牵头单位'}
        value={query.leadUnitId}
        onChange={(v?: string) => set({ leadUnitId: v })}
        options={unitOptions(units.data)}
        style={{ width: 150 }}
        popupMatchSelectWidth={false}
      />
      <Select
        {...search}
        aria-label={en ? 'Cooperating unit' : '配合单位'}
        placeholder={en ? 'Cooperating unit' : '配合单位'}
        value={query.cooperatingUnitId}
        onChange={(v?: string) => set({ cooperatingUnitId: v })}
        options={unitOptions(units.data)}
        style={{ width: 150 }}
        popupMatchSelectWidth={false}
      />
      <Select
        {...search}
        aria-label={en ? 'County' : '所属区县'}
        placeholder={en ? 'County' : '所属区县'}
        value={query.countyUnitId}
        onChange={(v?: string) => set({ countyUnitId: v })}
        options={unitOptions(units.data, 'county')}
        style={{ width: 120 }}
      />
      <Select
        {...search}
        aria-label={en ? 'Domain' : '领域'}
        placeholder={en ? 'Domain' : '领域'}
        value={query.domain}
        onChange={(v?: ItemQuery['domain']) => set({ domain: v })}
        options={enumOptions('domain')}
        style={{ width: 100 }}
      />
      <Checkbox checked={Boolean(query.overdue)} onChange={(e) => set({ overdue: e.target.checked || undefined })}>
        {en ? 'Overdue' : '已逾期'}
      </Checkbox>
      <Space.Compact>
        <InputNumber
          aria-label={en ? 'Due within days' : '几日内到期'}
          placeholder={en ? 'Due in N days' : 'N日内到期'}
          min={0}
          max={3650}
          value={query.dueWithinDays ?? null}
          onChange={(v) => set({ dueWithinDays: v ?? undefined })}
          style={{ width: 110 }}
        />
      </Space.Compact>
      <Button onClick={() => onChange({})}>{t('common.reset')}</Button>
    </Space>
  );
}
