/**
 * npm run check:chart [-- <env>...] [--chart <name>=<dir|tgz>]... [--kube-version 1.33.0]
 *
 * Renders every Helm release of each environment's application and services stacks with exactly what Terraform
 * would pass (the synthesized `values`, `set` and `set_sensitive`; secrets replaced by placeholders
 * of the same shape) and checks the render against what the stack relies on. Run it before
 * changing `application.opikVersion` or any chart version. Charts come from their repositories
 * when reachable, or from `OPIK_CHART=<dir|tgz>` / `--chart opik=<dir|tgz>`; without a chart a
 * release is reported as skipped, and the run exits 0 when nothing failed.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { spawnSync } from 'child_process';
import { checkRelease, type ReleaseReport } from './chart-check/report';
import { chartVersionOf, pullChart } from './chart-check/helm';
import { releasesOf } from './chart-check/release';
import { loadToolchain, synthAllLocal } from './offline-terraform';
import { OPIK_WORKLOADS } from '../constructs/opik/chart-contract';
import { PLATFORM_WORKLOADS } from '../constructs/opik/opik-network-policy';
import { networkPoliciesOf } from '../tools/network/connectivity';

const ROOT = path.join(__dirname, '..');
/**
 * The Kubernetes version the charts are rendered for: Helm assumes v1.20 without one, which some
 * charts refuse. AKS's default minor when an environment sets no `cluster.kubernetesVersion`.
 */
const DEFAULT_KUBE_VERSION = '1.33.0';

function parseArgs(argv: string[]): { environments: string[]; charts: Map<string, string>; kubeVersion: string } {
  const environments: string[] = [];
  let kubeVersion = DEFAULT_KUBE_VERSION;
  const charts = new Map<string, string>();
  if (process.env.OPIK_CHART) charts.set('opik', process.env.OPIK_CHART);
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--chart') {
      const [name, ...rest] = (argv[++i] ?? '').split('=');
      if (!name || rest.length === 0) throw new Error('--chart needs <name>=<dir or .tgz>, for example --chart opik=../opik-chart');
      charts.set(name, rest.join('='));
    } else if (argv[i] === '--kube-version') kubeVersion = argv[++i] ?? DEFAULT_KUBE_VERSION;
    else environments.push(argv[i]);
  }
  for (const [name, where] of charts) if (!fs.existsSync(where)) throw new Error(`chart ${name}: ${where} does not exist`);
  return { environments, charts, kubeVersion };
}

function toolchainBin(variable: 'HELM_BIN' | 'NETPOL_ANALYZER_BIN'): string | undefined {
  if (process.env[variable]) return process.env[variable];
  try {
    const bin = loadToolchain(ROOT)[variable];
    if (bin && fs.existsSync(bin)) return bin;
  } catch {
    // no toolchain
  }
  return undefined;
}

function findHelm(): string | undefined {
  const bin = toolchainBin('HELM_BIN');
  if (bin) return bin;
  const which = spawnSync('bash', ['-c', 'command -v helm'], { encoding: 'utf8' });
  return which.status === 0 ? which.stdout.trim() : undefined;
}

function main(): number {
  const { environments, charts, kubeVersion } = parseArgs(process.argv.slice(2));
  const helm = findHelm();
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'check-chart-'));
  try {
    const stacks = Object.entries(synthAllLocal(ROOT, path.join(work, 'synth'), { mainOnly: true }))
      // Every stack that installs charts: Opik and the add-ons (application), the services' SecretProviderClasses (services).
      .filter(([name]) => /^(application|services)-/.test(name))
      .filter(([name]) => environments.length === 0 || environments.includes(name.replace(/^(application|services)-/, '')));
    if (stacks.length === 0) throw new Error(`no application or services stack for ${environments.join(', ')}`);
    if (!helm) {
      console.log('check:chart: skipped: no helm binary (run `npm run toolchain`, or put helm on PATH)');
      console.log('check:chart: 0 passed, 0 failed, all skipped');
      return 0;
    }
    let passed = 0;
    let failed = 0;
    let skipped = 0;
    for (const [stack, dir] of stacks) {
      const json = JSON.parse(fs.readFileSync(path.join(dir, 'cdk.tf.json'), 'utf8'));
      const releases = releasesOf(json, dir);
      // Opik first: it is the release that holds the data.
      releases.sort((a, b) => Number(b.chart === 'opik') - Number(a.chart === 'opik'));
      const reports: ReleaseReport[] = [];
      for (const release of releases) {
        let chartPath = release.localChartDir ?? charts.get(release.chart);
        let source = release.localChartDir ? 'shipped with the stack' : chartPath ? `given: ${chartPath}` : '';
        if (!chartPath && release.repository) {
          const pulled = pullChart(helm, release.repository, release.chart, release.version, path.join(work, 'charts', `${release.chart}-${release.version}`));
          if (pulled.path) {
            chartPath = pulled.path;
            source = release.repository;
          } else source = `not reachable (${pulled.error})`;
        }
        if (!chartPath) {
          reports.push({ release, skipped: `chart ${release.chart} ${release.version ?? ''}: ${source}; pass --chart ${release.chart}=<dir or .tgz>${release.chart === 'opik' ? ' or OPIK_CHART' : ''}`, checks: [] });
          continue;
        }
        const version = chartVersionOf(chartPath);
        if (release.version && version && version !== release.version) source += ` (chart ${version}; the release pins ${release.version})`;
        // Opik's pods against the NetworkPolicies the stack puts in their namespace.
        const network =
          release.chart === 'opik'
            ? { namespace: release.namespace, policies: networkPoliciesOf(json, release.namespace), selectors: OPIK_WORKLOADS, otherPods: PLATFORM_WORKLOADS, analyzerBin: toolchainBin('NETPOL_ANALYZER_BIN') }
            : undefined;
        reports.push(checkRelease({ helm, release, chartPath, source, stackReleases: releases, kubeVersion, network }));
      }
      console.log(`\n## ${stack}\n`);
      for (const report of reports) {
        console.log(`### ${report.release.releaseName}: ${report.release.chart} ${report.release.version ?? '(local)'}${report.source ? ` from ${report.source}` : ''}`);
        if (report.skipped) {
          console.log(`skipped: ${report.skipped}\n`);
          skipped++;
          continue;
        }
        for (const c of report.checks) {
          console.log(`- ${c.status.toUpperCase().padEnd(4)} ${c.name}${c.summary ? `: ${c.summary}` : ''}`);
          for (const d of c.details ?? []) console.log(`    ${d}`);
          if (c.status === 'fail') failed++;
          else passed++;
        }
        console.log('');
      }
    }
    console.log(`check:chart: ${passed} passed, ${failed} failed, ${skipped} skipped`);
    return failed > 0 ? 1 : 0;
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}

try {
  process.exit(main());
} catch (e) {
  console.error(`check:chart: ${(e as Error).message}`);
  process.exit(2);
}
