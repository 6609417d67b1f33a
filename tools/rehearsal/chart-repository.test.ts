/**
 * The loopback chart repository: an index that lists every stand-in at its version, and charts
 * Helm can pull by repository URL, name and version, as the helm provider asks for them. Needs
 * Helm (`HELM_BIN`, set by the toolchain suite).
 */
import * as fs from 'fs';
import * as http from 'http';
import * as os from 'os';
import * as path from 'path';
import { parse } from 'yaml';
import { runHelm, startChartRepository, type ChartRepository } from './chart-repository';
import { STAND_IN_DESCRIPTION, writeStandInCharts, type StandInChart } from './stand-in-charts';

jest.setTimeout(120_000);

const HELM = process.env.HELM_BIN;

/** A GET with the path sent as written (fetch would normalise it). */
const rawGet = (url: string, requestPath: string) =>
  new Promise<number>((resolve, reject) => http.get(`${url}${requestPath}`, (res) => (res.resume(), resolve(res.statusCode ?? 0))).on('error', reject));

(HELM ? describe : describe.skip)(`chart repository${HELM ? '' : ' (skipped: HELM_BIN is unset; it runs in the toolchain suite)'}`, () => {
  let work: string;
  let charts: StandInChart[];
  let repo: ChartRepository;
  beforeAll(async () => {
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'chart-repository-'));
    charts = writeStandInCharts(path.join(work, 'charts'), '2.1.23');
    repo = await startChartRepository({ charts, helm: HELM!, workDir: path.join(work, 'repo') });
  });
  afterAll(async () => {
    await repo?.stop();
    fs.rmSync(work, { recursive: true, force: true });
  });

  test('serves on loopback an index listing every chart at its version, as a stand-in', async () => {
    expect(repo.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const index = parse(await (await fetch(`${repo.url}/index.yaml`)).text());
    for (const chart of charts) {
      expect(index.entries[chart.name]).toEqual([
        expect.objectContaining({ version: chart.version, description: expect.stringMatching(new RegExp(`^${STAND_IN_DESCRIPTION.replace(/[()]/g, '\\$&')}`)), urls: [`${repo.url}/${chart.name}-${chart.version}.tgz`] }),
      ]);
    }
  });

  test('helm pull --repo <url> <chart> --version <version> gets each chart', async () => {
    const into = path.join(work, 'pulled');
    fs.mkdirSync(into);
    for (const chart of charts) {
      await runHelm(HELM!, ['pull', chart.name, '--repo', repo.url, '--version', chart.version, '--destination', into], path.join(work, 'pull-home'));
    }
    expect(fs.readdirSync(into).sort()).toEqual(['cert-manager-v1.21.2.tgz', 'external-dns-1.22.0.tgz', 'nvidia-device-plugin-0.20.0.tgz', 'oauth2-proxy-10.6.0.tgz', 'opik-2.1.23.tgz']);
  });

  test('serves nothing outside its directory, and nothing but GET and HEAD', async () => {
    expect(await rawGet(repo.url, '/%2e%2e%2f%2e%2e%2fcharts%2fopik%2fChart.yaml')).toBe(404);
    expect(await rawGet(repo.url, '/')).toBe(404);
    expect((await fetch(`${repo.url}/index.yaml`, { method: 'DELETE' })).status).toBe(405);
    expect((await fetch(`${repo.url}/index.yaml`, { method: 'HEAD' })).status).toBe(200);
  });
});
