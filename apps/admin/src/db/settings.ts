import type { EntityManager } from 'typeorm';
import { SettingEntity } from './entities/index.js';

/** Reads a named setting, or undefined. */
export async function readSetting(manager: EntityManager, key: string): Promise<string | undefined> {
  const row = await manager.getRepository(SettingEntity).findOneBy({ key });
  return row?.value;
}

/** Writes (inserts or replaces) a named setting. */
export async function writeSetting(manager: EntityManager, key: string, value: string, updatedAt: string): Promise<void> {
  await manager.getRepository(SettingEntity).upsert({ key, value, updatedAt }, ['key']);
}
