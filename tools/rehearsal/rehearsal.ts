/**
 * One rehearsal: the stand-ins started on loopback, and the commands a platform team runs (cdktf
 * deploy / diff / destroy, terraform state and plan) run for real against them. Scenarios
 * (scenarios.ts) drive it; `npm run rehearse` and `npm run test:rehearsal` run the scenarios.
 *
 * What is real: the cdktf CLI, Terraform, the providers (the toolchain mirror's builds), the Azure
 * Storage API for state (Azurite), kube-apiserver / controller-manager / scheduler, Helm.
 * What is a stand-in: Azure Resource Manager and Key Vault (tools/arm-standin), the nodes (kwok),
 * and the third-party charts (stand-in-charts.ts). What is left out: Entra ID (no azuread provider
 * can be built here; its resources are taken out the way `npm run validate` does).
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { parse, stringify } from 'yaml';
import { loadEnvironmentFile } from '../../config/load';
import type { PlatformConfig } from '../../config/schema';
import { stateBackendFor } from '../../stacks/environment';
import { loadToolchain } from '../../scripts/offline-terraform';
import { AZURITE_DEV_KEY, startArmStandIn, type ArmStandIn } from '../arm-standin/server';
import { azuriteEndpoint, startAzurite, type Azurite } from './azurite';
import { startChartRepository } from './chart-repository';
import { startControlPlane, type ControlPlane } from './control-plane';
import { freePort, run, type RunResult } from './processes';
import { writeStandInCharts } from './stand-in-charts';

export const ROOT = path.join(__dirname, '..', '..');
export const STACK_KINDS = ['network', 'data-disks', 'cluster-and-registry', 'application'] as const;
/** Stacks an environment has only when its file asks for them (stacks/environment.ts decides). */
export const OPTIONAL_STACK_KINDS = ['services', 'monitoring'] as const;
export type StackKind = (typeof STACK_KINDS)[number] | (typeof OPTIONAL_STACK_KINDS)[number];

/** The next Opik version the stand-in repository also serves, for the upgrade scenario. */
export function nextPatch(version: string): string {
  const [major, minor, patch] = version.split('.').map(Number);
  return `${major}.${minor}.${patch + 1}`;
}

export interface Rehearsal {
  readonly environment: string;
  readonly work: string;
  readonly config: PlatformConfig;
  readonly armStandIn: ArmStandIn;
  readonly azurite: Azurite;
  readonly kube: ControlPlane;
  readonly stateContainer: string;
  readonly chartRepository: string;
  /** `<stack>-<env>` */
  stack(kind: StackKind, environment?: string): string;
  /** The optional stacks the last synth of the committed environment file produced. */
  optionalStacks(): Promise<StackKind[]>;
  /** Writes an environment file derived from a committed one; returns its path. */
  writeConfig(name: string, base: string, change: (config: any) => void): string;
  /** The cdktf CLI with the rehearsal's app, output dir and environment. */
  cdktf(args: readonly string[], configFile?: string): Promise<RunResult>;
  /** Terraform in a synthesized stack's directory. */
  terraform(stack: string, args: readonly string[]): Promise<RunResult>;
  /** `terraform show -json` of a fresh plan of `stack` (after a synth with `configFile`). */
  planJson(stack: string, configFile?: string): Promise<any>;
  /** The committed environment file. */
  readonly configFile: string;
  /** What the rehearsal adds to the environment of every command (stand-in endpoints, switches). */
  readonly commandEnv: Readonly<Record<string, string>>;
  /** The cdktf app command that adapts stacks to the mirror's providers. */
  readonly app: readonly string[];
  readonly terraformBinary: string;
  /** Stand-ins the output must name. */
  readonly standInNotes: string[];
  stop(): Promise<void>;
}

const log = (line: string) => process.stderr.write(`[rehearse] ${line}\n`);

export async function startRehearsal(environment: string): Promise<Rehearsal> {
  const configFile = path.join(ROOT, 'config', 'environments', `${environment}.yaml`);
  if (!fs.existsSync(configFile)) throw new Error(`no environment file ${path.relative(ROOT, configFile)}`);
  const config = loadEnvironmentFile(configFile).config;
  const toolchain = loadToolchain(ROOT);
  if (!toolchain.HELM_BIN) throw new Error('the toolchain has no Helm: run `npm run toolchain`');
  const work = fs.mkdtempSync(path.join(os.tmpdir(), `rehearse-${environment}-`));
  const logs = path.join(work, 'logs');
  fs.mkdirSync(logs, { recursive: true });
  log(`work directory ${work}`);

  const stopping: (() => Promise<void>)[] = [];
  const stop = async () => {
    for (const s of stopping.reverse()) await s().catch(() => undefined);
  };
  try {
    // Kubernetes first: the stand-in's cluster credential actions answer with its kubeconfig.
    const zoneLabels = (zone: string | number) => ({ 'topology.disk.csi.azure.com/zone': `${config.location}-${zone}`, 'topology.kubernetes.io/zone': `${config.location}-${zone}` });
    const zones = config.cluster.userNodePool.zones.length > 0 ? config.cluster.userNodePool.zones : [''];
    const kube = await startControlPlane({
      toolchain,
      workDir: work,
      nodes: zones.map((z, i) => ({ name: `kwok-user-${i}`, labels: z === '' ? {} : zoneLabels(z) })),
    });
    stopping.push(() => kube.stop());
    log(`kube-apiserver ${kube.server}`);

    const state = stateBackendFor(config, 'azurerm').props.azure;
    const subscription = '00000000-1111-4000-8000-000000000001';
    const azuritePort = await freePort();
    const armStandIn = await startArmStandIn({
      workDir: path.join(work, 'arm'),
      kubeconfig: kube.kubeconfig,
      blobEndpoint: (account) => azuriteEndpoint(azuritePort, account),
      storageAccountKey: AZURITE_DEV_KEY,
      // The state storage the bootstrap app creates (rg-<workload>-tfstate-<region>, its account).
      seed: [
        { id: `/subscriptions/${subscription}/resourceGroups/${state.resourceGroupName}`, body: { location: config.location } },
        {
          id: `/subscriptions/${subscription}/resourceGroups/${state.resourceGroupName}/providers/Microsoft.Storage/storageAccounts/${state.storageAccountName}`,
          body: { location: config.location, kind: 'StorageV2', sku: { name: 'Standard_GZRS' }, properties: {} },
        },
      ],
    });
    stopping.push(() => armStandIn.stop());
    log(`ARM stand-in ${armStandIn.armUrl}`);

    const azurite: Azurite = await startAzurite({ port: azuritePort, root: ROOT, workDir: work, account: state.storageAccountName, key: AZURITE_DEV_KEY, tls: armStandIn.issueCertificate(['127.0.0.1', 'localhost']), caPem: armStandIn.caPem });
    stopping.push(() => azurite.service.stop());
    await azurite.createContainer(state.containerName);
    log(`Azurite ${azurite.endpoint(state.storageAccountName)}, container ${state.containerName}`);

    // The environment's Opik version, and the next patch for the upgrade scenario.
    const charts = [
      ...writeStandInCharts(path.join(work, 'charts', 'current'), config.application.opikVersion),
      ...writeStandInCharts(path.join(work, 'charts', 'next'), nextPatch(config.application.opikVersion)).filter((c) => c.name === 'opik'),
    ];
    const repo = await startChartRepository({ charts, helm: toolchain.HELM_BIN, workDir: path.join(work, 'chart-repository') });
    stopping.push(() => repo.stop());
    log(`chart repository ${repo.url}`);

    // kubelogin as the providers call it, answering with the control plane's token.
    const bin = path.join(work, 'bin');
    fs.mkdirSync(bin);
    fs.writeFileSync(
      path.join(bin, 'kubelogin'),
      `#!/bin/sh\n# Rehearsal stand-in for kubelogin: hands the local API server's token to the providers.\ncat <<'EOF'\n${JSON.stringify({ apiVersion: 'client.authentication.k8s.io/v1beta1', kind: 'ExecCredential', status: { token: kube.token } })}\nEOF\n`,
      { mode: 0o755 },
    );

    // One output directory per environment file name, so that a scenario on another environment
    // (staging) does not replace the synthesized stacks of this one.
    const outdirFor = (file: string) => path.join(work, `cdktf.out.${path.basename(file, '.yaml')}`);
    const pluginCache = path.join(work, 'plugin-cache');
    fs.mkdirSync(pluginCache);
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      ...armStandIn.tokenEnv(),
      TF_CLI_CONFIG_FILE: toolchain.TF_CLI_CONFIG_FILE,
      TERRAFORM_BINARY_NAME: toolchain.TF_BIN,
      TF_PLUGIN_CACHE_DIR: pluginCache,
      TF_IN_AUTOMATION: '1',
      CHECKPOINT_DISABLE: '1',
      STATE_BACKEND: 'rehearsal',
      REHEARSAL_CHART_REPOSITORY: repo.url,
      REHEARSAL_WORK: work,
      PATH: `${bin}:${process.env.PATH}`,
      KUBECONFIG: kube.kubeconfigFile,
      HELM_CACHE_HOME: path.join(work, 'helm', 'cache'),
      HELM_CONFIG_HOME: path.join(work, 'helm', 'config'),
      HELM_DATA_HOME: path.join(work, 'helm', 'data'),
      // cdktf's own update check and crash reporting reach for the internet.
      CDKTF_DISABLE_PLUGIN_CACHE_ENV: 'true',
      DISABLE_VERSION_CHECK: 'true',
      CI: 'true',
    };
    const appCommand = [process.execPath, path.join(ROOT, 'node_modules', 'tsx', 'dist', 'cli.mjs'), path.join(ROOT, 'tools', 'rehearsal', 'mirror-app.ts')];
    const app = appCommand.join(' ');
    const cdktfBin = path.join(ROOT, 'node_modules', '.bin', 'cdktf');
    const commandLog = path.join(logs, 'commands.log');

    const rehearsal: Rehearsal = {
      environment,
      work,
      config,
      armStandIn,
      azurite,
      kube,
      stateContainer: state.containerName,
      chartRepository: repo.url,
      configFile,
      commandEnv: Object.fromEntries(Object.entries(env).filter(([k, v]) => v !== undefined && process.env[k] !== v)) as Record<string, string>,
      app: appCommand,
      terraformBinary: toolchain.TF_BIN,
      standInNotes: [
        'Azure Resource Manager and Key Vault: tools/arm-standin (stores what is PUT, adds the server-side values the providers read)',
        'nodes: kwok (pods are scheduled and marked Ready; no container runs)',
        `third-party charts: stand-ins with the real names and versions (${charts.map((c) => `${c.name} ${c.version}`).join(', ')})`,
        'Entra ID: left out (no azuread provider can be built here); the sign-in app registration is not created',
      ],
      stack: (kind, envName = environment) => `${kind}-${envName}`,
      async optionalStacks() {
        const manifest = path.join(outdirFor(configFile), 'manifest.json');
        if (!fs.existsSync(manifest)) {
          const synth = await rehearsal.cdktf(['synth']);
          if (synth.code !== 0) throw new Error(`synth failed: ${synth.stderr.slice(-2000)}`);
        }
        const names = Object.keys(JSON.parse(fs.readFileSync(manifest, 'utf8')).stacks ?? {});
        return OPTIONAL_STACK_KINDS.filter((k) => names.includes(`${k}-${environment}`));
      },
      writeConfig(name, base, change) {
        const text = fs.readFileSync(path.join(ROOT, 'config', 'environments', `${base}.yaml`), 'utf8');
        const data = parse(text);
        change(data);
        const dir = path.join(work, 'config', name);
        fs.mkdirSync(dir, { recursive: true });
        const file = path.join(dir, `${base}.yaml`);
        fs.writeFileSync(file, stringify(data));
        return file;
      },
      cdktf(args, file = configFile) {
        // --skip-provider-lock: cdktf would run `terraform providers lock`, which asks the public
        // registry (unreachable, and the mirror's builds are not in it). A team runs the command
        // without it. --ignore-missing-stack-dependencies: scenarios deploy one stack at a time, as
        // the README does, once its producers are deployed.
        // With that flag cdktf also stops ordering the stacks it is given, so only for a single stack.
        const stacksNamed = args.slice(1).filter((a) => !a.startsWith('-')).length;
        const flags = ['deploy', 'diff', 'destroy'].includes(args[0]) ? ['--skip-provider-lock', ...(stacksNamed === 1 ? ['--ignore-missing-stack-dependencies'] : [])] : [];
        return run(cdktfBin, [...args, ...flags, '--app', app, '--output', outdirFor(file)], { cwd: ROOT, env: { ...env, PLATFORM_CONFIG: file }, logFile: commandLog });
      },
      terraform(stack, args) {
        const envName = stack.slice(stack.lastIndexOf('-') + 1);
        return run(toolchain.TF_BIN, [`-chdir=${path.join(work, `cdktf.out.${envName}`, 'stacks', stack)}`, ...args], { cwd: ROOT, env, logFile: commandLog });
      },
      async planJson(stack, file = configFile) {
        const synth = await rehearsal.cdktf(['synth'], file);
        if (synth.code !== 0) throw new Error(`synth failed: ${synth.stderr.slice(-2000)}`);
        const init = await rehearsal.terraform(stack, ['init', '-input=false', '-no-color']);
        if (init.code !== 0) throw new Error(`init of ${stack} failed: ${init.stderr.slice(-2000)}`);
        const plan = await rehearsal.terraform(stack, ['plan', '-input=false', '-no-color', '-out=rehearsal.tfplan']);
        if (plan.code !== 0) return { error: `${plan.stdout}\n${plan.stderr}` };
        const show = await rehearsal.terraform(stack, ['show', '-json', 'rehearsal.tfplan']);
        return JSON.parse(show.stdout);
      },
      stop,
    };
    return rehearsal;
  } catch (e) {
    await stop();
    throw e;
  }
}
