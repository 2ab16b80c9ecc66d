import { App, Button, DatePicker, Space, Tabs } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useState } from 'react';
import { useSearchParams } from 'react-router';
import { can } from '../../auth/can';
import { useMe } from '../../auth/session';
import { download, saveBlob } from '../../auth/token';
import { describeError } from '../../components/ErrorView';
import { useI18n } from '../../i18n/i18n';
import { ComplaintFigures } from './ComplaintFigures';
import { ItemFigures } from './ItemFigures';

/** 统计分析: the item figures and, for who may read complaint cases, the complaint figures, as of a chosen day. */
export default function StatisticsPage() {
  const { t, locale } = useI18n();
  const en = locale === 'en';
  const { message } = App.useApp();
  const me = useMe();
  const [params, setParams] = useSearchParams();
  const [asOf, setAsOf] = useState<Dayjs | null>(null);
  const asOfParam = asOf ? asOf.format('YYYY-MM-DD') : undefined;
  const complaints = can(me, 'complaint.read');
  const tab = complaints && params.get('tab') === 'complaints' ? 'complaints' : 'items';
  const fetchFile = async (url: string) => {
    try {
      const f = await download(url);
      saveBlob(f.blob, f.name);
    } catch (e) {
      void message.error(describeError(e, t));
    }
  };
  const month = (asOf ?? dayjs().subtract(1, 'month')).format('YYYY-MM');

  return (
    <div className="page">
      <Space wrap style={{ marginBottom: 12, justifyContent: 'space-between', width: '100%' }}>
        <h1 className="page-title" style={{ margin: 0 }}>
          {t('nav.statistics')}
        </h1>
        <Space wrap>
          <span>{t('common.asOf')}</span>
          <DatePicker
            aria-label={t('common.asOf')}
            value={asOf}
            onChange={setAsOf}
            disabledDate={(d) => d.isAfter(dayjs())}
            placeholder={en ? 'Now' : '当前'}
          />
          <Button onClick={() => void fetchFile(`/api/statistics/export?format=xlsx${asOfParam ? `&asOf=${asOfParam}` : ''}`)}>
            {t('common.export')} (.xlsx)
          </Button>
          <Button onClick={() => void fetchFile(`/api/statistics/bulletin?month=${month}`)}>
            {en ? `Bulletin ${month}` : `${month} 月通报`} (.xlsx)
          </Button>
          <Button onClick={() => void fetchFile(`/api/statistics/bulletin?month=${month}&format=docx`)}>
            {en ? `Bulletin ${month}` : `${month} 月通报`} (.docx)
          </Button>
        </Space>
      </Space>
      <Tabs
        activeKey={tab}
        onChange={(k) => setParams(k === 'items' ? {} : { tab: k }, { replace: true })}
        items={[
          { key: 'items', label: t('stats.tabItems'), children: <ItemFigures asOf={asOf} /> },
          ...(complaints ? [{ key: 'complaints', label: t('stats.tabComplaints'), children: <ComplaintFigures asOf={asOfParam} /> }] : []),
        ]}
      />
    </div>
  );
}
