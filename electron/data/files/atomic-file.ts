import fs from 'node:fs';
import path from 'node:path';

/** A file that appears under its final name only once complete: temp file + fsync + rename (+ dir fsync). */
export class AtomicFile {
  private constructor(
    readonly finalPath: string,
    readonly tmpPath: string,
    readonly fh: fs.promises.FileHandle,
  ) {}

  static async create(finalPath: string): Promise<AtomicFile> {
    await fs.promises.mkdir(path.dirname(finalPath), { recursive: true });
    const tmp = `${finalPath}.tmp-${process.pid}-${Math.random().toString(36).slice(2, 8)}`;
    return new AtomicFile(finalPath, tmp, await fs.promises.open(tmp, 'w'));
  }

  async commit(): Promise<void> {
    await this.fh.sync();
    await this.fh.close();
    await fs.promises.rename(this.tmpPath, this.finalPath);
    try {
      const dir = await fs.promises.open(path.dirname(this.finalPath), 'r');
      await dir.sync();
      await dir.close();
    } catch {
      // Directory fsync is not supported everywhere (e.g. Windows); the rename itself is still atomic.
    }
  }

  async abort(): Promise<void> {
    await this.fh.close().catch(() => undefined);
    await fs.promises.rm(this.tmpPath, { force: true });
  }
}

export async function writeFileAtomic(finalPath: string, data: string | Uint8Array): Promise<void> {
  const f = await AtomicFile.create(finalPath);
  try {
    await f.fh.writeFile(data);
    await f.commit();
  } catch (e) {
    await f.abort();
    throw e;
  }
}
