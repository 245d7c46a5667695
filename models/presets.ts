import type { Preset } from '../shared/domain';
// Written by bench/results.ts from the figures in docs/results.md: the best architecture per task.
import measured from '../docs/presets.json';

const TASK_LABELS: Record<string, string> = {
  'nsl-kdd-5class': 'NSL-KDD, 5 classes',
  'nsl-kdd-binary': 'NSL-KDD, normal vs attack',
  kdd99: "KDD Cup '99, 5 classes",
  urls: 'malicious URLs',
  dga: 'DGA domains',
  behaviour: 'Stratosphere behaviour strings',
};

/** Per task, the best run measured on the official split, as a starting point for the Train view. */
export function listPresets(): Preset[] {
  return Object.entries(measured as Record<string, { modelId: string; params: Record<string, unknown> }>).map(([task, p]) => ({
    task,
    label: TASK_LABELS[task] ?? task,
    modelId: p.modelId,
    params: Object.fromEntries(Object.entries(p.params).filter(([, v]) => typeof v === 'number' || typeof v === 'string' || typeof v === 'boolean')) as Record<string, number | string | boolean>,
  }));
}
