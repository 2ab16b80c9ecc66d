import { api, unwrap } from '../../api/client';
import { EvidencePanel as FilesPanel } from '../../components/EvidencePanel';
import type { Evidence } from './types';

/** An item's evidence files (佐证材料). */
export function EvidencePanel({ itemId, canUpload }: { itemId: string; canUpload: boolean }) {
  return (
    <FilesPanel<Evidence>
      url={`/api/items/${itemId}/evidence`}
      queryKey={['item', itemId, 'evidence']}
      changed={['item', itemId]}
      load={() => unwrap(api.GET('/api/items/{id}/evidence', { params: { path: { id: itemId } } }))}
      canUpload={canUpload}
    />
  );
}
