import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { app, BrowserWindow, dialog, session, shell } from 'electron';
import { createEngine, type Engine } from './engine';
import { externalLinkAllowed } from './external-links';
import { wireIpc } from './ipc';
import { appRoot, rendererBuildDir } from './paths';
import { resolveWorkspaceDir } from './store/workspace';

const { values } = parseArgs({ options: { workspace: { type: 'string' } }, strict: false });

let engine: Engine | undefined;
let win: BrowserWindow | undefined;

const indexFile = path.join(rendererBuildDir(), 'index.html');
const indexUrl = pathToFileURL(indexFile).href;
const isOurPage = (url: string) => url.split('#')[0] === indexUrl;

app.enableSandbox();

app.whenReady().then(() => {
  const workspaceDir = resolveWorkspaceDir(
    typeof values.workspace === 'string' ? values.workspace : undefined,
    { ...process.env, DEEPTRIAGE_WORKSPACE: process.env.DEEPTRIAGE_WORKSPACE ?? app.getPath('userData') },
  );
  engine = createEngine({ workspaceDir, transport: 'electron' });
  // Only the shell can show native dialogs; the engine's default answers NOT_AVAILABLE.
  engine.handlers['files.pick'] = async ({ title, multiple }) => {
    const r = await dialog.showOpenDialog(win!, { title, properties: multiple ? ['openFile', 'multiSelections'] : ['openFile'] });
    return { paths: r.canceled ? [] : r.filePaths };
  };

  // Nothing outside the app is fetched: deny every permission request (camera, notifications, ...).
  session.defaultSession.setPermissionRequestHandler((_wc, _perm, cb) => cb(false));

  win = new BrowserWindow({
    width: 1400,
    height: 900,
    title: 'DeepTriage',
    webPreferences: {
      // The preload is ours and exposes two functions (call, onEvent) plus the dropped file's path through
      // contextBridge; every payload is validated against the contract on this side (electron/ipc.ts).
      preload: path.join(appRoot(), 'dist', 'engine', 'preload.cjs'), // eng-disable PRELOAD_JS_CHECK
      // A middle click would otherwise open a link in a new window; new windows are denied anyway.
      disableBlinkFeatures: 'Auxclick',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      spellcheck: false,
    },
  });
  wireIpc(engine, () => win?.webContents, isOurPage);
  win.webContents.setWindowOpenHandler(({ url }) => {
    void openExternalConfirmed(url);
    return { action: 'deny' };
  });
  win.webContents.on('will-navigate', (e, url) => {
    if (!isOurPage(url)) e.preventDefault();
  });
  void win.loadURL(indexUrl);
});

/** A link leaves the app only if it is https and the user, shown the full address, says yes. */
async function openExternalConfirmed(raw: string): Promise<void> {
  const url = externalLinkAllowed(raw);
  if (!url || !win) return;
  const { response } = await dialog.showMessageBox(win, {
    type: 'question',
    buttons: ['Open in browser', 'Cancel'],
    defaultId: 1,
    cancelId: 1,
    message: 'Open this link in your web browser?',
    detail: url.href,
  });
  // Only an https URL the user confirmed above reaches this line.
  if (response === 0) await shell.openExternal(url.href); // eng-disable OPEN_EXTERNAL_JS_CHECK
}

app.on('window-all-closed', () => {
  void engine?.close().finally(() => app.quit());
});
