import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import type { Role } from '#domain';

@Entity('app_user')
export class UserEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column('text')
  name: string;

  @Column('text')
  email: string;

  @Column('text', { nullable: true })
  phone: string | null;

  @Column('uuid', { name: 'unit_id' })
  unitId: string;

  @Column('text', { array: true, default: () => `'{}'` })
  roles: Role[];

  @Column('boolean', { default: true })
  active: boolean;

  @Column('text', { name: 'password_hash', nullable: true, select: false })
  passwordHash: string | null;

  /** Non-urgent mail only in the weekly digest (escalations are always sent). */
  @Column('boolean', { name: 'digest_only', default: false })
  digestOnly: boolean;

  /** Set by an administrator's password reset: the user must choose a new password before anything else. */
  @Column('boolean', { name: 'must_change_password', default: false })
  mustChangePassword: boolean;

  @Column('timestamptz', { name: 'password_changed_at', nullable: true })
  passwordChangedAt: Date | null;

  @Column('timestamptz', { name: 'last_login_at', nullable: true })
  lastLoginAt: Date | null;

  @Column('integer', { default: 1 })
  version: number;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
