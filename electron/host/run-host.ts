import { createEngine } from '../engine';
import { rendererBuildDir } from '../paths';
import { resolveWorkspaceDir } from '../store/workspace';
import { startHost } from './server';

export interface HostLaunchOptions {
  port?: number;
  workspace?: string;
}

/** Starts engine + localhost host for a browser, prints where to go, and shuts down cleanly on a signal. */
export async function runHost(opts: HostLaunchOptions): Promise<void> {
  const workspaceDir = resolveWorkspaceDir(opts.workspace);
  const engine = createEngine({ workspaceDir, transport: 'host' });
  const host = await startHost({ engine, rendererDir: rendererBuildDir(), ...(opts.port !== undefined ? { port: opts.port } : {}) });
  console.log(`DeepTriage workbench: ${host.url}`);
  console.log(`workspace: ${workspaceDir}`);
  void engine.backend().then(
    (b) => console.log(`backend: ${b.name} (${b.reason})`),
    (e: Error) => console.log(`backend: unavailable (${e.message})`),
  );
  let stopping = false;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    void host
      .close()
      .then(() => engine.close())
      .finally(() => process.exit(0));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}
