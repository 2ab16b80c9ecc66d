import { api, unwrap } from '../../api/client';
import { can } from '../../auth/can';
import { useMe } from '../../auth/session';
import { EvidencePanel } from '../../components/EvidencePanel';
import { useI18n } from '../../i18n/i18n';
import type { ComplaintEvidence as File } from './types';

/** A case's evidence: the case's units and dispatchers upload; a file not yet reported with a verdict may be withdrawn. */
export function ComplaintEvidence({ caseId, state }: { caseId: string; state: string }) {
  const { t } = useI18n();
  const me = useMe();
  const open = !['archived', 'merged'].includes(state) && can(me, 'complaint.act');
  return (
    <EvidencePanel<File>
      url={`/api/complaints/${caseId}/evidence`}
      queryKey={['complaint', caseId, 'evidence']}
      changed={['complaint', caseId]}
      load={() => unwrap(api.GET('/api/complaints/{id}/evidence', { params: { path: { id: caseId } } }))}
      canUpload={open}
      canWithdraw={(f) => open && f.verdictSeq === null && (f.unitId === me.unitId || me.roles.includes('dispatcher'))}
      extraColumns={[
        {
          title: '',
          width: 150,
          render: (_, f) => (f.verdictSeq === null ? t('evidence.pending') : t('evidence.reported', { n: f.verdictSeq })),
        },
      ]}
    />
  );
}
