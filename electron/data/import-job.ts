import path from 'node:path';
import type { ImportInput, ImportOptionsParsed, SampleRow } from '../../shared/dataset';
import { formatCount } from '../../shared/format';
import type { JobHandler } from '../jobs/context';
import { writeFileAtomic } from '../store/atomic';
import { readCache, readRawLine, rowId } from './cache/cache-file';
import type { FeaturizerJSON } from './featurize';
import { importToCache } from './pipeline/import-file';
import type { CacheImportResult } from './pipeline/import-result';
import { importManyToCache, type ManyOptions } from './pipeline/import-many';
import { DEFAULT_ATTACK_MAP, type LabelEncoderJSON } from './labels/label-encoder';
import type { Progress } from './types';

export interface ImportJobInput {
  path: string;
  /** Several files → one dataset (importManyToCache); when set, `path` is only the display name's source. */
  inputs?: ImportInput[];
  outDir: string;
  options: ImportOptionsParsed;
  /** The fitted encoding of the dataset named in options.encodeLike, looked up by the main side. */
  encodeLike?: { featurizer: FeaturizerJSON; labelEncoder: LabelEncoderJSON | null };
}

export const SAMPLE_ROWS = 50;

export type ImportJobResult = CacheImportResult & { samplePath: string };

/** The analyst's choices, in the data layer's terms. */
export function toDataOptions(o: ImportOptionsParsed, like?: ImportJobInput['encodeLike']): ManyOptions {
  const columns = {
    ...(o.labelColumn !== undefined ? { label: o.labelColumn } : {}),
    ...(o.featureColumns ? { features: o.featureColumns } : {}),
    ...(o.categoricalColumns ? { categorical: o.categoricalColumns } : {}),
  };
  const labels = {
    ...(o.labelMode ? { mode: o.labelMode } : {}),
    ...(o.dropLabels ? { drop: o.dropLabels } : {}),
    ...(o.benignLabels ? { benign: o.benignLabels } : {}),
    ...(o.attackMap ? { attackMap: { ...DEFAULT_ATTACK_MAP, ...o.attackMap } } : {}),
  };
  const text = {
    ...(o.maxLength ? { maxLength: o.maxLength } : {}),
    ...(o.truncate ? { truncate: o.truncate } : {}),
    ...(o.stripScheme !== undefined ? { stripScheme: o.stripScheme } : {}),
    ...(o.stripPublicSuffix !== undefined ? { stripPublicSuffix: o.stripPublicSuffix } : {}),
  };
  const behaviour = {
    ...(o.behaviourLabelRule ? { labelRule: o.behaviourLabelRule } : {}),
    ...(o.behaviourThresholds ? { thresholds: o.behaviourThresholds } : {}),
  };
  return {
    ...(o.format !== 'auto' ? { format: o.format } : {}),
    errors: o.errors,
    ...(Object.keys(columns).length ? { columns } : {}),
    ...(Object.keys(labels).length ? { labels } : {}),
    ...(Object.keys(text).length ? { text } : {}),
    ...(o.fixedLabel ? { fixedLabel: o.fixedLabel } : {}),
    ...(o.scaling ? { scaling: o.scaling } : {}),
    ...(Object.keys(behaviour).length ? { behaviour } : {}),
    ...(o.maxRowsPerFile !== undefined ? { maxRowsPerFile: o.maxRowsPerFile } : {}),
    ...(o.sampleSeed !== undefined ? { sampleSeed: o.sampleSeed } : {}),
    ...(like ? { featurizer: like.featurizer, ...(like.labelEncoder ? { labelEncoder: like.labelEncoder } : {}) } : {}),
  };
}

/** Two-pass imports (fit, then encode) report each pass as half of the bar. */
function fractionOf(p: Progress, twoPass: boolean): number {
  const f = p.totalBytes > 0 ? Math.min(1, p.bytesRead / p.totalBytes) : 0;
  if (!twoPass) return f;
  return p.phase === 'fit' ? f / 2 : 0.5 + f / 2;
}

export const importJob: JobHandler = async (raw, ctx) => {
  const input = raw as ImportJobInput;
  const controller = new AbortController();
  // The data layer listens to an AbortSignal; the job system raises a shared flag. Poll one into the other.
  const poll = setInterval(() => {
    if (ctx.shouldStop()) controller.abort();
  }, 50);
  const started = Date.now();
  let twoPass = false;
  try {
    const options = toDataOptions(input.options, input.encodeLike);
    // Several files, or one file with a row cap, go through the multi-file importer.
    const many = (input.inputs?.length ?? 0) > 0 || options.maxRowsPerFile !== undefined;
    const onProgress = (p: Progress) => {
      if (p.phase === 'fit') twoPass = true;
      // The multi-file importer already counts every pass in bytesRead / totalBytes.
      const fraction = many ? Math.min(1, p.bytesRead / Math.max(1, p.totalBytes)) : fractionOf(p, twoPass);
      const secs = (Date.now() - started) / 1000;
      // Bytes of the pass under way (a two-pass import reads the file twice: fit, then encode); the
      // multi-file importer counts all its passes in one total, so it is one "pass" here.
      const pass = !many && twoPass && p.phase === 'encode' ? 2 : 1;
      const passes = !many && twoPass ? 2 : 1;
      ctx.progress({
        fraction,
        message: `${p.phase === 'fit' ? 'fitting' : p.phase === 'encode' ? 'encoding' : 'reading'}: ${formatCount(p.rows)} rows`,
        metrics: { rows: p.rows, lines: p.lines, rowsPerSec: secs > 0 ? p.rows / secs : 0, bytesRead: p.bytesRead, totalBytes: p.totalBytes, pass, passes },
        ...(fraction > 0.02 ? { etaSeconds: (secs / fraction) * (1 - fraction) } : {}),
      });
    };
    const runCtx = { signal: controller.signal, onProgress };
    const result = many
      ? await importManyToCache(input.inputs?.length ? input.inputs : [{ path: input.path }], input.outDir, options, runCtx)
      : await importToCache(input.path, input.outDir, options, runCtx);
    ctx.throwIfCancelled();
    const samplePath = path.join(input.outDir, 'sample.json');
    writeFileAtomic(samplePath, JSON.stringify(await sampleRows(result.cachePath, result.rawLinesPath, result.labelEncoder)));
    return { ...result, samplePath };
  } finally {
    clearInterval(poll);
  }
};

async function sampleRows(cachePath: string, rawPath: string, labels: LabelEncoderJSON | null): Promise<SampleRow[]> {
  const data = await readCache(cachePath);
  const n = Math.min(SAMPLE_ROWS, data.rows);
  const out: SampleRow[] = [];
  for (let i = 0; i < n; i++) {
    const li = data.labels ? data.labels[i] : -1;
    const raw = data.rawOffsets ? await readRawLine(rawPath, data.rawOffsets[i]) : '';
    out.push({
      row: i,
      id: rowId(data, i),
      label: labels && li >= 0 ? (labels.classes[li] ?? null) : null,
      raw: raw.length > 2000 ? `${raw.slice(0, 2000)}…` : raw,
    });
  }
  return out;
}
