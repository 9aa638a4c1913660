import { Column, Entity, PrimaryColumn } from 'typeorm';

/** Small named state: revocation version, CRL number and PEM, frozen genesis. */
@Entity({ name: 'settings' })
export class SettingEntity {
  @PrimaryColumn({ type: 'varchar', length: 64 })
  key!: string;

  @Column({ type: 'text' })
  value!: string;

  @Column({ name: 'updated_at', type: 'varchar', length: 32 })
  updatedAt!: string;
}
