import { Column, Entity, PrimaryColumn } from 'typeorm';

/** A consortium member organisation. */
@Entity({ name: 'organisations' })
export class OrganisationEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id!: string;

  @Column({ type: 'varchar', length: 200, unique: true })
  name!: string;

  @Column({ name: 'created_at', type: 'varchar', length: 32 })
  createdAt!: string;
}
