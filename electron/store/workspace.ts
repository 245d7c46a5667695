import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { WorkspaceInfo } from '../../shared/domain';
import { removeStaleTempFiles } from './atomic';
import { openDatabase, schemaVersion, type Db } from './db';
import { recoverInterrupted, type Recovered } from './recover';

export const APP_DIR_NAME = 'DeepTriage';

/** The platform's application-data folder, matching where Electron's app.getPath('userData') points. */
export function defaultWorkspaceDir(env: NodeJS.ProcessEnv = process.env, platform = process.platform): string {
  const home = os.homedir();
  if (platform === 'win32') return path.join(env.APPDATA ?? path.join(home, 'AppData', 'Roaming'), APP_DIR_NAME);
  if (platform === 'darwin') return path.join(home, 'Library', 'Application Support', APP_DIR_NAME);
  return path.join(env.XDG_CONFIG_HOME ?? path.join(home, '.config'), APP_DIR_NAME);
}

/** --workspace beats DEEPTRIAGE_WORKSPACE beats the platform default. */
export function resolveWorkspaceDir(flag?: string, env: NodeJS.ProcessEnv = process.env): string {
  const chosen = flag ?? env.DEEPTRIAGE_WORKSPACE ?? defaultWorkspaceDir(env);
  return path.resolve(chosen);
}

export const WORKSPACE_SUBDIRS = ['datasets', 'runs', 'scans', 'uploads'] as const;
export type WorkspaceSubdir = (typeof WORKSPACE_SUBDIRS)[number];

export interface Workspace {
  dir: string;
  db: Db;
  dbPath: string;
  /** Folder for one entity's files (e.g. a run's weights); created on demand. */
  entityDir(kind: WorkspaceSubdir, id: string): string;
  info(): WorkspaceInfo;
  /** Work a dead process left queued or running, marked interrupted when this workspace was opened. */
  recovered: Recovered;
  close(): void;
}

export function openWorkspace(dir: string): Workspace {
  fs.mkdirSync(dir, { recursive: true });
  for (const sub of WORKSPACE_SUBDIRS) fs.mkdirSync(path.join(dir, sub), { recursive: true });
  const dbPath = path.join(dir, 'workspace.sqlite');
  const db = openDatabase(dbPath);
  const recovered = recoverInterrupted(dir, db);
  return {
    dir,
    db,
    dbPath,
    recovered,
    entityDir(kind, id) {
      if (!/^[A-Za-z0-9_-]+$/.test(id)) throw new Error(`invalid ${kind} id '${id}'`);
      const d = path.join(dir, kind, id);
      fs.mkdirSync(d, { recursive: true });
      removeStaleTempFiles(d);
      return d;
    },
    info() {
      return { dir, dbPath, schemaVersion: schemaVersion(db) };
    },
    close() {
      db.close();
    },
  };
}
