import { HOST_TOKEN_HEADER, HOST_UPLOAD_PATH } from '../../../shared/wire';
import { call } from './client';
import { pageToken } from './socket-bridge';

/**
 * Turns a dropped file into a path the engine can read: in Electron the preload knows the real path;
 * in a browser the file is streamed to the localhost host, which stores it in the workspace.
 */
export async function pathForDroppedFile(file: File): Promise<string> {
  const fromShell = window.deeptriage?.pathForFile?.(file);
  if (fromShell) return fromShell;
  const res = await fetch(`${HOST_UPLOAD_PATH}?name=${encodeURIComponent(file.name)}`, {
    method: 'POST',
    headers: { [HOST_TOKEN_HEADER]: pageToken() },
    body: file,
  });
  if (!res.ok) throw new Error(`upload of ${file.name} failed: ${res.status} ${await res.text()}`);
  return ((await res.json()) as { path: string }).path;
}

export const hasNativeDialog = Boolean(window.deeptriage);

export async function pickFiles(title: string, multiple = false): Promise<string[]> {
  return (await call('files.pick', { title, multiple })).paths;
}
