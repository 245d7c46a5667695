import fs from 'node:fs';
import path from 'node:path';

export type ElectronAvailability = { ok: true; binary: string } | { ok: false; reason: string };

/**
 * Decides whether the desktop shell can start. Electron's own resolver downloads the binary when it is
 * missing, which hangs or fails offline, so we look for the files ourselves instead of calling it.
 */
export function electronAvailability(root: string, env: NodeJS.ProcessEnv = process.env): ElectronAvailability {
  const pkgDir = path.join(root, 'node_modules', 'electron');
  if (!fs.existsSync(path.join(pkgDir, 'package.json'))) {
    return { ok: false, reason: 'the electron package is not installed' };
  }
  const pathFile = path.join(pkgDir, 'path.txt');
  const rel = fs.existsSync(pathFile) ? fs.readFileSync(pathFile, 'utf8').trim() : '';
  const binary = rel ? path.join(pkgDir, 'dist', rel) : '';
  if (!binary || !fs.existsSync(binary)) {
    return {
      ok: false,
      reason: "the Electron binary is not downloaded (its download needs the network; run 'npx install-electron' where there is one)",
    };
  }
  if (process.platform === 'linux' && !env.DISPLAY && !env.WAYLAND_DISPLAY) {
    return { ok: false, reason: 'there is no display (DISPLAY and WAYLAND_DISPLAY are unset)' };
  }
  return { ok: true, binary };
}
