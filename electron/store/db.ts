import Database from 'better-sqlite3';
import { MIGRATIONS } from './migrations';

export type Db = Database.Database;

/** Opens (creating if needed) the workspace database and brings its schema up to date in one transaction. */
export function openDatabase(file: string, migrations: readonly string[] = MIGRATIONS): Db {
  const db = new Database(file);
  // WAL lets the worker threads read while the main side writes, and survives a crash mid-write.
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  migrate(db, migrations);
  return db;
}

export function schemaVersion(db: Db): number {
  return db.pragma('user_version', { simple: true }) as number;
}

export function migrate(db: Db, migrations: readonly string[]): number {
  const from = schemaVersion(db);
  if (from > migrations.length) {
    throw new Error(
      `workspace database schema version ${from} is newer than this DeepTriage build knows (${migrations.length}); ` +
        'upgrade DeepTriage or use another workspace',
    );
  }
  const apply = db.transaction(() => {
    for (let v = from; v < migrations.length; v++) db.exec(migrations[v]);
    db.pragma(`user_version = ${migrations.length}`);
  });
  apply();
  return migrations.length - from;
}
