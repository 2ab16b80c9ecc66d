import { useQuery } from '@tanstack/react-query';
import { Button, Card, Col, Form, Input, Row, Select, Tree, TreeSelect, type TreeDataNode } from 'antd';
import { useState } from 'react';
import { api, unwrap } from '../../api/client';
import { ErrorView } from '../../components/ErrorView';
import { useAction } from '../../components/useAction';
import { useI18n } from '../../i18n/i18n';
import type { ResponseOf } from '../../api/types';

type Node = ResponseOf<'/api/org-units/tree', 'get'>[number];

const toTree = (nodes: Node[]): TreeDataNode[] => nodes.map((n) => ({ key: n.id, title: n.name, children: toTree(n.children ?? []) }));
interface SelectNode {
  value: string;
  title: string;
  children: SelectNode[];
}
const toSelect = (nodes: Node[], exclude: string): SelectNode[] =>
  nodes.filter((n) => n.id !== exclude).map((n) => ({ value: n.id, title: n.name, children: toSelect(n.children ?? [], exclude) }));
const find = (nodes: Node[], id: string): Node | undefined => {
  for (const n of nodes) {
    if (n.id === id) return n;
    const f = find(n.children ?? [], id);
    if (f) return f;
  }
  return undefined;
};

/** The unit tree: names, aliases (used when importing ledgers), and moving a unit with its subtree. */
export default function UnitsPage() {
  const { t, locale } = useI18n();
  const en = locale === 'en';
  const tree = useQuery({ queryKey: ['org-units', 'tree'], queryFn: () => unwrap(api.GET('/api/org-units/tree')) });
  const [selected, setSelected] = useState<string | null>(null);
  const nodes: Node[] = tree.data ?? [];
  const unit = selected ? find(nodes, selected) : undefined;
  const save = useAction(
    (v: { name: string; aliases: string[]; parentId: string | null }) =>
      unwrap(
        api.PATCH('/api/org-units/{id}', {
          params: { path: { id: unit!.id } },
          body: { name: v.name, aliases: v.aliases, parentId: v.parentId as never, version: unit!.version },
        }),
      ),
    ['org-units'],
  );
  if (tree.isError)
    return (
      <div className="page">
        <ErrorView error={tree.error} retry={() => void tree.refetch()} />
      </div>
    );
  return (
    <div className="page">
      <h1 className="page-title">{t('nav.units')}</h1>
      <Row gutter={12}>
        <Col xs={24} md={10}>
          <Card size="small" loading={tree.isPending}>
            <Tree
              treeData={toTree(nodes)}
              defaultExpandAll
              onSelect={(keys) => setSelected((keys[0] as string) ?? null)}
              selectedKeys={selected ? [selected] : []}
            />
          </Card>
        </Col>
        <Col xs={24} md={14}>
          {unit && (
            <Card size="small" title={`${unit.name}（${unit.code}）`}>
              <Form
                key={`${unit.id}-${unit.version}`}
                layout="vertical"
                initialValues={{ name: unit.name, aliases: unit.aliases, parentId: unit.parentId }}
                onFinish={(v: { name: string; aliases: string[]; parentId: string | null }) => save.mutate(v)}
              >
                <Form.Item name="name" label={en ? 'Name' : '名称'} rules={[{ required: true, max: 100 }]}>
                  <Input />
                </Form.Item>
                <Form.Item
                  name="aliases"
                  label={en ? 'Aliases' : '别名'}
                  extra={en ? 'Other names used in ledgers' : '台账中使用的其他名称'}
                >
                  <Select mode="tags" open={false} aria-label={en ? 'Aliases' : '别名'} />
                </Form.Item>
                <Form.Item name="parentId" label={en ? 'Parent (move)' : '上级单位（移动）'}>
                  <TreeSelect
                    treeData={toSelect(nodes, unit.id)}
                    treeDefaultExpandAll
                    allowClear={false}
                    disabled={!unit.parentId}
                    aria-label={en ? 'Parent' : '上级单位'}
                  />
                </Form.Item>
                <Button type="primary" htmlType="submit" loading={save.isPending}>
                  {t('common.save')}
                </Button>
              </Form>
            </Card>
          )}
        </Col>
      </Row>
    </div>
  );
}
