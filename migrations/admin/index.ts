import { CreateRegister1764000000000 } from './1764000000000-create-register.js';
import { UserDisabled1764000100000 } from './1764000100000-user-disabled.js';

/** The admin register's migrations, oldest first. */
export const ADMIN_MIGRATIONS = [CreateRegister1764000000000, UserDisabled1764000100000];
