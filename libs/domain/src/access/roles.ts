export const ROLES = ['admin', 'dispatcher', 'unit_officer', 'verifier', 'auditor'] as const;
export type Role = (typeof ROLES)[number];

export function isRole(value: string): value is Role {
  return (ROLES as readonly string[]).includes(value);
}

export const ROLE_LABELS: Record<Role, string> = {
  admin: '管理员',
  dispatcher: '督办部门负责人',
  unit_officer: '责任单位经办人',
  verifier: '验收单位',
  auditor: '审计/核查人员',
};
