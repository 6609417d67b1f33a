/**
 * Runs Helm: renders a release exactly as the Terraform helm provider would pass it (values files
 * in order, then `set`, then `set_sensitive`, each as `--set`), and fetches charts from their
 * repositories when they can be reached.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import type { HelmSet } from './release';

export interface RenderRequest {
  readonly helm: string;
  readonly chartPath: string;
  readonly releaseName: string;
  readonly namespace: string;
  readonly values: readonly string[];
  readonly set?: readonly HelmSet[];
  readonly setSensitive?: readonly HelmSet[];
  /** API groups the render may assume exist (CRDs installed by another release). */
  readonly apiVersions?: readonly string[];
  readonly kubeVersion?: string;
}

export type RenderResult = { readonly ok: true; readonly manifest: string } | { readonly ok: false; readonly error: string };

/** `--set` for type auto, `--set-string` for type string, as the helm provider maps them. */
const setFlags = (list: readonly HelmSet[] = []) => list.flatMap((s) => [s.type === 'string' ? '--set-string' : '--set', `${s.name}=${s.value}`]);

export function renderChart(req: RenderRequest): RenderResult {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'check-chart-values-'));
  try {
    const files = req.values.map((v, i) => {
      const file = path.join(dir, `values-${i}.yaml`);
      fs.writeFileSync(file, v);
      return file;
    });
    const args = [
      'template', req.releaseName, req.chartPath,
      '--namespace', req.namespace,
      ...(req.kubeVersion ? ['--kube-version', req.kubeVersion] : []),
      ...(req.apiVersions ?? []).flatMap((a) => ['--api-versions', a]),
      ...files.flatMap((f) => ['--values', f]),
      ...setFlags(req.set),
      ...setFlags(req.setSensitive),
    ];
    const run = spawnSync(req.helm, args, { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024, env: helmEnv(dir) });
    if (run.status !== 0) return { ok: false, error: (run.stderr || run.stdout || `helm exited ${run.status}`).trim() };
    return { ok: true, manifest: run.stdout };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** Helm's own config, cache and data in a throwaway place: a check never touches the user's repos. */
function helmEnv(dir: string): NodeJS.ProcessEnv {
  return { ...process.env, HELM_CONFIG_HOME: path.join(dir, 'config'), HELM_CACHE_HOME: path.join(dir, 'cache'), HELM_DATA_HOME: path.join(dir, 'data') };
}

/**
 * Downloads `chart` at `version` from `repository` into `into`; returns the .tgz, or the reason it
 * could not (chart repositories are unreachable from some machines).
 */
export function pullChart(helm: string, repository: string, chart: string, version: string | undefined, into: string): { path?: string; error?: string } {
  fs.mkdirSync(into, { recursive: true });
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'check-chart-pull-'));
  try {
    const args = ['pull', chart, '--repo', repository, '--destination', into, ...(version ? ['--version', version] : [])];
    const run = spawnSync(helm, args, { encoding: 'utf8', timeout: 60_000, env: helmEnv(dir) });
    if (run.status !== 0) return { error: (run.stderr || run.stdout || 'helm pull failed').trim().split('\n')[0] };
    const file = fs.readdirSync(into).find((f) => f.startsWith(`${chart}-`) && f.endsWith('.tgz'));
    return file ? { path: path.join(into, file) } : { error: 'helm pull wrote no chart archive' };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** The `version` in a chart directory's Chart.yaml, or in a packaged chart's name. */
export function chartVersionOf(chartPath: string): string | undefined {
  if (fs.statSync(chartPath).isDirectory()) {
    const text = fs.readFileSync(path.join(chartPath, 'Chart.yaml'), 'utf8');
    return /^version:\s*["']?([^"'\s]+)/m.exec(text)?.[1];
  }
  return /-(\d+\.\d+\.\d+[^/]*)\.tgz$/.exec(chartPath)?.[1];
}
