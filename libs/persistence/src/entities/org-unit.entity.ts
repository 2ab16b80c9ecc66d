import { Column, CreateDateColumn, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';
import type { OrgUnitKind } from '#domain';

@Entity('org_unit')
export class OrgUnitEntity {
  @PrimaryColumn('uuid')
  id: string;

  @Column('text')
  code: string;

  @Column('text')
  name: string;

  @Column('text')
  kind: OrgUnitKind;

  @Column('uuid', { name: 'parent_id', nullable: true })
  parentId: string | null;

  @Column('text')
  path: string;

  @Column('integer', { name: 'sort_order', default: 0 })
  sortOrder: number;

  @Column('boolean', { default: true })
  active: boolean;

  @Column('integer', { default: 1 })
  version: number;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}

@Entity('org_unit_alias')
export class OrgUnitAliasEntity {
  @PrimaryColumn('text')
  alias: string;

  @Column('uuid', { name: 'unit_id' })
  unitId: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
