/**
 * A Helm chart repository on 127.0.0.1 serving the rehearsal's stand-in charts, so the helm
 * provider installs our releases exactly as synthesized (`repository` + `chart` + `version`) with
 * only the repository URL swapped.
 *
 * Helm runs through an asynchronous child process, never spawnSync: the rehearsal serves this
 * repository (and the ARM stand-in) from the same event loop, and a blocked loop answers nothing.
 */
import { execFile } from 'child_process';
import * as fs from 'fs';
import * as http from 'http';
import type { AddressInfo } from 'net';
import * as path from 'path';
import { promisify } from 'util';
import type { StandInChart } from './stand-in-charts';

const execFileAsync = promisify(execFile);

/**
 * Runs Helm with its cache, config and data under `home`, so the rehearsal never reads or writes
 * the user's repositories. Rejects with Helm's own message.
 */
export async function runHelm(helm: string, args: readonly string[], home: string): Promise<string> {
  const env = { ...process.env, HELM_CACHE_HOME: path.join(home, 'cache'), HELM_CONFIG_HOME: path.join(home, 'config'), HELM_DATA_HOME: path.join(home, 'data') };
  try {
    const { stdout } = await execFileAsync(helm, [...args], { env, maxBuffer: 64 * 1024 * 1024 });
    return stdout;
  } catch (err: any) {
    throw new Error(`helm ${args[0]} failed: ${String(err.stderr || err.message).trim()}`);
  }
}

export interface ChartRepository {
  /** `http://127.0.0.1:<port>`: what the helm provider's `repository` is set to. */
  readonly url: string;
  stop(): Promise<void>;
}

export interface ChartRepositoryOptions {
  readonly charts: readonly StandInChart[];
  /** The Helm binary (the toolchain's `HELM_BIN`). */
  readonly helm: string;
  /** Packages, index and Helm's own state go under here. */
  readonly workDir: string;
}

const CONTENT_TYPES: Record<string, string> = { '.yaml': 'application/x-yaml', '.tgz': 'application/gzip' };

/** Serves the files of `root` (no listing, nothing outside it), GET and HEAD only. */
function serve(root: string): http.Server {
  return http.createServer((req, res) => {
    const name = decodeURIComponent(new URL(req.url ?? '/', 'http://localhost').pathname).replace(/^\/+/, '');
    const file = path.resolve(root, name);
    if ((req.method !== 'GET' && req.method !== 'HEAD') || path.dirname(file) !== root) {
      res.writeHead(req.method === 'GET' || req.method === 'HEAD' ? 404 : 405).end();
      return;
    }
    fs.promises.readFile(file).then(
      (body) => {
        res.writeHead(200, { 'content-type': CONTENT_TYPES[path.extname(file)] ?? 'application/octet-stream', 'content-length': body.length });
        res.end(req.method === 'HEAD' ? undefined : body);
      },
      () => res.writeHead(404).end(),
    );
  });
}

/**
 * Packages every chart, starts the server on a free loopback port, then writes `index.yaml` with
 * absolute URLs on that port (the port must be known before the index is written).
 */
export async function startChartRepository(options: ChartRepositoryOptions): Promise<ChartRepository> {
  const root = path.resolve(options.workDir, 'repository');
  const home = path.resolve(options.workDir, 'helm-home');
  fs.rmSync(root, { recursive: true, force: true });
  fs.mkdirSync(root, { recursive: true });
  for (const chart of options.charts) await runHelm(options.helm, ['package', chart.dir, '--destination', root], home);

  const server = serve(root);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const stop = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  try {
    await runHelm(options.helm, ['repo', 'index', root, '--url', url], home);
  } catch (err) {
    await stop();
    throw err;
  }
  return { url, stop };
}
