/**
 * Remote state: every stack writes its own state blob, and every cross-stack read goes to the
 * producer's exact backend and names an output the producer declares.
 */
import { TerraformStack } from 'cdktf';
import type { Construct } from 'constructs';
import { anyMonitoring, monitoringParts } from '../config/monitoring-parts';
import type { StateBackendKind } from '../constructs/core/state-backend';
import { stateBackendKind } from '../stacks/environment';
import { PlatformStack, type PlatformStackProps } from '../stacks/platform-stack';
import { buildStacks, ENVIRONMENT_NAMES, loadCommittedConfig, synthStack, type StackJson } from './helpers';

const STACK_NAMES = ['network', 'data-disks', 'cluster-and-registry', 'application'];

function backendOf(json: StackJson): { type: string; config: Record<string, unknown> } {
  const [type, config] = Object.entries(json.terraform.backend)[0] as [string, Record<string, unknown>];
  return { type, config };
}

/** `outputs.<name>` references to a remote state data source, by data source name. */
function remoteReads(json: StackJson): Map<string, Set<string>> {
  const reads = new Map<string, Set<string>>();
  const text = JSON.stringify(json);
  for (const match of text.matchAll(/data\.terraform_remote_state\.([\w-]+)\.outputs\.(\w+)/g)) {
    if (!reads.has(match[1])) reads.set(match[1], new Set());
    reads.get(match[1])!.add(match[2]);
  }
  return reads;
}

describe.each(ENVIRONMENT_NAMES.flatMap((env) => (['azurerm', 'local'] as StateBackendKind[]).map((kind) => [env, kind] as const)))(
  '%s with %s state',
  (environment, kind) => {
    const config = loadCommittedConfig(environment);
    const stacks = Object.values(buildStacks(config, kind)) as TerraformStack[];
    const byId = new Map(stacks.map((s) => [s.node.id, synthStack(s)]));

    test('stack ids are <stack>-<env>; the optional stacks exist exactly when the file asks for them', () => {
      const optional = [...(config.services.length > 0 ? ['services'] : []), ...(anyMonitoring(monitoringParts(config.monitoring)) ? ['monitoring'] : [])];
      expect([...byId.keys()].sort()).toEqual([...STACK_NAMES, ...optional].map((name) => `${name}-${environment}`).sort());
    });

    test('each stack keeps its state under <env>/<stack>.tfstate', () => {
      for (const [id, json] of byId) {
        const { type, config: backend } = backendOf(json);
        const key = `${environment}/${id.replace(`-${environment}`, '')}.tfstate`;
        if (kind === 'azurerm') {
          expect(type).toBe('azurerm');
          // Production names an account of its own; dev and staging share the derived one.
          const account = environment === 'prod' ? { rg: 'rg-opik-tfstate-prod-weu', name: 'stopikprodtfstateweu' } : { rg: 'rg-opik-tfstate-weu', name: 'stopiktfstateweu' };
          expect(backend).toEqual({
            resource_group_name: account.rg,
            storage_account_name: account.name,
            container_name: 'tfstate',
            key,
            use_azuread_auth: true,
          });
        } else {
          expect(type).toBe('local');
          expect(backend).toEqual({ path: `../../../.terraform-state/${key}` });
        }
      }
    });

    test("every remote state read uses the producer's backend and a declared output", () => {
      let reads = 0;
      for (const json of byId.values()) {
        for (const [name, outputs] of remoteReads(json)) {
          const remote = json.data.terraform_remote_state[name];
          const producerId = `${name.replace('remote-state-', '')}-${environment}`;
          const producer = byId.get(producerId)!;
          expect(producer).toBeDefined();
          const { type, config: backend } = backendOf(producer);
          expect(remote.backend).toBe(type);
          expect(remote.config).toEqual(backend);
          for (const output of outputs) {
            expect(Object.keys(producer.output)).toContain(output);
            reads++;
          }
        }
      }
      expect(reads).toBeGreaterThan(10);
    });

    test('consumers depend on their producers, so deploy order follows', () => {
      const deps = (id: string) => (stacks.find((s) => s.node.id === id)!.dependencies as TerraformStack[]).map((d) => d.node.id).sort();
      expect(deps(`network-${environment}`)).toEqual([]);
      expect(deps(`data-disks-${environment}`)).toEqual([`network-${environment}`]);
      // The cluster needs no disk: it may be torn down and rebuilt while the disks stay.
      expect(deps(`cluster-and-registry-${environment}`)).toEqual([`network-${environment}`]);
      expect(deps(`application-${environment}`)).toEqual([`cluster-and-registry-${environment}`, `data-disks-${environment}`, `network-${environment}`]);
      // A service's TLS ingress uses the application stack's ClusterIssuer; otherwise services need no Opik. Monitoring needs no disk and no Opik.
      if (byId.has(`services-${environment}`)) {
        const tls = config.services.some((s) => s.exposure.type === 'ingress' && s.exposure.tls);
        expect(deps(`services-${environment}`)).toEqual([...(tls ? [`application-${environment}`] : []), `cluster-and-registry-${environment}`, `network-${environment}`]);
      }
      if (byId.has(`monitoring-${environment}`)) expect(deps(`monitoring-${environment}`)).toEqual([`cluster-and-registry-${environment}`, `network-${environment}`]);
    });

    test('no cdktf-generated cross-stack outputs: every output has a reviewed name', () => {
      for (const json of byId.values()) {
        for (const name of Object.keys(json.output ?? {})) expect(name).not.toMatch(/^cross-stack-output/);
      }
    });
  },
);

describe('STATE_BACKEND', () => {
  test('unset means azurerm', () => expect(stateBackendKind(undefined)).toBe('azurerm'));
  test('local means local', () => expect(stateBackendKind('local')).toBe('local'));
  test('fails if it is anything else', () => expect(() => stateBackendKind('s3')).toThrow(/STATE_BACKEND \(environment variable\): \(top level\): must be "azurerm", "local" or "rehearsal" \(got "s3"\)/));
  test('names the variable it came from', () => expect(() => stateBackendKind('s3', 'BOOTSTRAP_STATE')).toThrow(/^BOOTSTRAP_STATE/));
});

test('fails if a consumer reads an output its producer does not declare', () => {
  const stacks = buildStacks(loadCommittedConfig('dev'));
  expect(() => stacks.network.assertOutput('no_such_output')).toThrow(/has no output "no_such_output"/);
});

/** A consumer that reads one output of its producer the way every stack does: readOutputsOf(...).getString(...). */
class ReadingConsumer extends PlatformStack {
  constructor(scope: Construct, props: PlatformStackProps, producer: PlatformStack<string>, output: string) {
    super(scope, 'consumer', props);
    this.readOutputsOf(producer).getString(output);
  }
}

test('fails if a consumer reads, through getString, an output its producer does not declare', () => {
  const { network } = buildStacks(loadCommittedConfig('dev'));
  expect(() => new ReadingConsumer(network.node.scope as Construct, { config: network.config, backend: network.backend }, network, 'no_such_output')).toThrow(
    /^stack network-dev has no output "no_such_output"/,
  );
});

test('a consumer reads, through getString, an output its producer declares', () => {
  const { network } = buildStacks(loadCommittedConfig('dev'));
  expect(() => new ReadingConsumer(network.node.scope as Construct, { config: network.config, backend: network.backend }, network, 'resource_group_name')).not.toThrow();
});
