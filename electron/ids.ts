import { randomBytes } from 'node:crypto';

/** Short, sortable by creation time, safe as a folder name: `ds_lx3k9a2b_4f1c9e`. */
export function newId(prefix: string): string {
  return `${prefix}_${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;
}
