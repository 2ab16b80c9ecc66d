import { Column, Entity, PrimaryColumn } from 'typeorm';

/** One row of the append-only audit trail. The database refuses UPDATE, DELETE and TRUNCATE. */
@Entity('history')
export class HistoryEntity {
  @PrimaryColumn({ type: 'bigint', generatedIdentity: 'ALWAYS', insert: false })
  id: string;

  @Column('text', { name: 'entity_type' })
  entityType: string;

  @Column('uuid', { name: 'entity_id' })
  entityId: string;

  @Column('integer')
  seq: number;

  @Column('text')
  action: string;

  @Column('text', { name: 'from_state', nullable: true })
  fromState: string | null;

  @Column('text', { name: 'to_state', nullable: true })
  toState: string | null;

  @Column('uuid', { name: 'actor_id', nullable: true })
  actorId: string | null;

  @Column('timestamptz')
  at: Date;

  @Column('text', { nullable: true })
  reason: string | null;

  @Column('jsonb', { default: () => `'{}'::jsonb` })
  data: Record<string, unknown>;

  @Column('text', { name: 'prev_hash', nullable: true })
  prevHash: string | null;

  @Column('text')
  hash: string;
}
