/**
 * The review model on fixtures derived from real plans (fixtures.ts): counts, construct paths,
 * data-bearing flags, replace paths, attribute diffs with masks, and the verdict.
 */
import { DATA_BEARING, dottedPath, reviewPlan } from '../../scripts/plan-review';
import { attributeChanges } from '../../scripts/plan-review/attributes';
import { dataBearing, dataNamespaces } from '../../scripts/plan-review/data-bearing';
import { loadFixture, reviewFixture } from './fixtures';

describe('counts and construct paths', () => {
  test('a create-only plan counts every managed resource as a create, each with its construct', () => {
    const f = loadFixture('create-only');
    const review = reviewFixture('create-only');
    expect(review.counts).toEqual({ create: f.plan.resource_changes.length, update: 0, replace: 0, delete: 0, noOp: 0, forget: 0, moved: 0, imported: 0 });
    for (const c of review.changes) {
      const block = f.synthesized.resource[c.type][c.address.slice(c.type.length + 1)];
      expect(c.constructPath).toBe(block['//'].metadata.path);
    }
  });

  test('unchanged resources are counted as no-ops but not listed; data sources are neither', () => {
    const f = loadFixture('upgrade');
    const withRead = { ...f.plan, resource_changes: [...f.plan.resource_changes, { address: 'data.azurerm_client_config.current', mode: 'data', type: 'azurerm_client_config', name: 'current', change: { actions: ['read'], before: null, after: {} } }] };
    const review = reviewPlan({ stack: f.stack, plan: withRead, synthesized: f.synthesized, allowReplace: [] });
    expect(review.counts.update).toBe(1);
    expect(review.counts.noOp).toBe(f.plan.resource_changes.length - 1);
    expect(review.changes).toHaveLength(1);
  });

  test('replacements count once, whichever order Terraform chose', () => {
    const f = loadFixture('disk-replacement');
    const flipped = JSON.parse(JSON.stringify(f.plan));
    flipped.resource_changes[0].change.actions = ['create', 'delete'];
    const review = reviewPlan({ stack: f.stack, plan: flipped, synthesized: f.synthesized, allowReplace: [] });
    expect(review.counts.replace).toBe(f.plan.resource_changes.length);
    expect(review.changes.find((c) => c.address === flipped.resource_changes[0].address)?.replaceOrder).toBe('create-then-delete');
  });

  test('a moved resource is a move, not a delete and a create', () => {
    const review = reviewFixture('moved');
    expect(review.counts).toMatchObject({ create: 0, delete: 0, moved: 1 });
    expect(review.changes).toEqual([expect.objectContaining({ action: 'no-op', previousAddress: expect.stringMatching(/^azurerm_managed_disk\.disk-mysql_/) })]);
  });

  test('a deleted resource has no construct path: the code no longer has it', () => {
    const f = loadFixture('moved');
    const lock = f.plan.resource_changes.find((c: any) => c.type === 'azurerm_management_lock');
    const deleted = { ...lock, change: { ...lock.change, actions: ['delete'], after: null, after_unknown: {}, after_sensitive: false }, action_reason: 'delete_because_no_resource_config' };
    const review = reviewPlan({ stack: f.stack, plan: { ...f.plan, resource_changes: [deleted] }, synthesized: { resource: {} }, allowReplace: [] });
    expect(review.changes[0]).toMatchObject({ action: 'delete', reason: 'the resource is no longer in the code', dataBearing: { kind: 'delete lock on a disk' } });
    expect(review.changes[0].constructPath).toBeUndefined();
    expect(review.verdict.refused).toBe(true);
  });

  test('not plan JSON: a clear error', () => {
    expect(() => reviewPlan({ stack: 'x', plan: { resources: [] }, synthesized: {}, allowReplace: [] })).toThrow(/not plan JSON/);
  });
});

describe('data-bearing resources', () => {
  test('one constant lists every kind the brief names, each with a reason', () => {
    const types = DATA_BEARING.map((r) => String(r.type));
    for (const t of ['azurerm_managed_disk', 'azurerm_management_lock', 'azurerm_data_protection_backup_vault', 'kubernetes_persistent_volume_v1', 'kubernetes_persistent_volume_claim_v1', 'kubernetes_namespace_v1', 'helm_release', 'azurerm_key_vault', 'azurerm_key_vault_secret', 'random_password', 'azurerm_storage_account', 'azurerm_storage_container', 'azurerm_resource_group']) {
      expect(types).toContain(t);
    }
    expect(DATA_BEARING.some((r) => r.type instanceof RegExp && r.type.test('azurerm_data_protection_backup_instance_disk'))).toBe(true);
    expect(DATA_BEARING.some((r) => r.type instanceof RegExp && r.type.test('azurerm_data_protection_backup_policy_disk'))).toBe(true);
    for (const r of DATA_BEARING) expect(r.why.length).toBeGreaterThan(20);
  });

  test('the Opik namespace, its claims and volumes are flagged; a lock only when it is on a disk', () => {
    const f = loadFixture('upgrade');
    const namespaces = dataNamespaces(f.plan.resource_changes);
    const facts = (c: any, config?: any) => ({ type: c.type, before: c.change.before, after: c.change.after, config: config ?? f.synthesized.resource[c.type]?.[c.name], dataNamespaces: namespaces });
    const of = (type: string) => f.plan.resource_changes.filter((c: any) => c.type === type);
    expect(of('kubernetes_namespace_v1').map((c: any) => dataBearing(facts(c))?.kind)).toEqual(['data namespace']);
    expect(of('kubernetes_persistent_volume_claim_v1').length).toBeGreaterThan(0);
    for (const c of of('kubernetes_persistent_volume_claim_v1')) expect(dataBearing(facts(c))?.kind).toBe('persistent volume claim');
    for (const c of of('kubernetes_persistent_volume_v1')) expect(dataBearing(facts(c))?.kind).toBe('persistent volume');
    // Another namespace, one that holds no claim and no stateful release, is not.
    const ns = of('kubernetes_namespace_v1')[0];
    const other = JSON.parse(JSON.stringify(ns).split('"opik"').join('"tools"'));
    expect(dataBearing(facts(other, {}))).toBeUndefined();

    const moved = loadFixture('moved');
    const lock = moved.plan.resource_changes.find((c: any) => c.type === 'azurerm_management_lock');
    expect(dataBearing({ ...facts(lock, moved.synthesized.resource.azurerm_management_lock[lock.name]) })?.kind).toBe('delete lock on a disk');
    const groupScope = (v: any) => v && { ...v, scope: v.scope.replace(/\/providers\/Microsoft\.Compute\/disks\/.*$/, '') };
    expect(dataBearing({ type: lock.type, before: groupScope(lock.change.before), after: groupScope(lock.change.after), config: {}, dataNamespaces: namespaces })).toBeUndefined();
  });

  test('only the stateful release is flagged among Helm releases', () => {
    const f = loadFixture('upgrade');
    const release = f.plan.resource_changes.find((c: any) => c.type === 'helm_release');
    const facts = (name: string) => ({ type: 'helm_release', before: { ...release.change.before, name }, after: { ...release.change.after, name }, config: {}, dataNamespaces: new Set<string>() });
    expect(dataBearing(facts('opik'))?.kind).toBe('stateful Helm release');
    expect(dataBearing(facts('cert-manager'))).toBeUndefined();
  });
});

describe('attribute changes', () => {
  test('replace_paths become dotted paths and mark the attributes they force', () => {
    const review = reviewFixture('disk-replacement');
    const disk = review.changes.find((c) => c.type === 'azurerm_managed_disk')!;
    expect(disk.forcedBy).toEqual(['zone']);
    expect(disk.attributes).toEqual([expect.objectContaining({ path: 'zone', before: '"1"', forcesReplacement: true })]);
  });

  test('dotted paths quote keys that are not plain names', () => {
    expect(dottedPath(['network_profile', 0, 'network_plugin'])).toBe('network_profile.0.network_plugin');
    expect(dottedPath(['metadata', 0, 'labels', 'app.kubernetes.io/name'])).toBe('metadata.0.labels["app.kubernetes.io/name"]');
    expect(dottedPath([])).toBe('');
  });

  test('Helm values are a unified line diff; unknown attributes read (known after apply)', () => {
    const release = reviewFixture('upgrade').changes[0];
    const values = release.attributes.find((a) => a.path === 'values.0')!;
    expect(values.lineDiff).toMatch(/^@@ -\d+,\d+ \+\d+,\d+ @@\n/);
    expect(values.lineDiff!.split('\n').filter((l) => /^[-+]/.test(l))).toEqual([expect.stringMatching(/^-\s+replicaCount: 1$/), expect.stringMatching(/^\+\s+replicaCount: 2$/)]);
    expect(release.attributes.find((a) => a.path === 'metadata')?.after).toBe('(known after apply)');
  });

  test('sensitive values are masked, never shown or measured, even when a whole block or part of one is sensitive', () => {
    const f = loadFixture('password-replace');
    const review = reviewFixture('password-replace');
    const json = JSON.stringify(review);
    expect(json).not.toMatch(/fixture-sensitive-\d+/);
    const masked = review.changes.flatMap((c) => c.attributes).filter((a) => a.sensitive);
    expect(masked.length).toBeGreaterThan(0);
    // Lengths of the sensitive values appear nowhere as a "characters" count.
    expect(json).not.toMatch(/\(\d+ characters\)/);
    // Part of a container sensitive: the container is shown with that part masked.
    const secret = f.plan.resource_changes.find((c: any) => c.change.actions.includes('update') && c.change.after_sensitive && typeof c.change.after_sensitive === 'object');
    const before = { ...secret.change.before, extra: { open: 'x', closed: secret.change.before[Object.keys(secret.change.before_sensitive).find((k) => secret.change.before_sensitive[k] === true)!] } };
    const changes = attributeChanges(before, secret.change.after, { ...secret.change, before_sensitive: { ...secret.change.before_sensitive, extra: { closed: true } } });
    expect(JSON.stringify(changes)).not.toMatch(/fixture-sensitive-\d+/);
    expect(changes.find((c) => c.path === 'extra')).toMatchObject({ before: '{"open":"x","closed":"(sensitive value)"}', after: '(none)', sensitive: true });
  });
});

describe('verdict', () => {
  test('a data-bearing replacement is refused with the flag that allows it', () => {
    const review = reviewFixture('disk-replacement');
    expect(review.verdict.refused).toBe(true);
    const mysql = review.verdict.dataLoss.find((d) => d.address.includes('disk-mysql_'))!;
    expect(mysql.flag).toBe(`--allow-replace ${mysql.address}`);
    expect(mysql.explanation).toBe(
      `${mysql.address} (managed disk) would be replaced because zone changes and cannot be updated in place: it holds a data store's files; a replacement is a new, empty disk. Refused; to allow it, pass --allow-replace ${mysql.address}.`,
    );
  });

  test('allowReplace naming every address allows the plan; unrelated addresses allow nothing', () => {
    const all = reviewFixture('disk-replacement').verdict.dataLoss.map((d) => d.address);
    expect(reviewFixture('disk-replacement', all).verdict.refused).toBe(false);
    expect(reviewFixture('disk-replacement', ['azurerm_managed_disk.something-else']).verdict.refused).toBe(true);
  });

  test('a generated password replaced on request is refused, with the reason', () => {
    const review = reviewFixture('password-replace');
    const password = review.verdict.dataLoss.find((d) => d.address.startsWith('random_password.'))!;
    expect(password.allowed).toBe(false);
    expect(password.explanation).toContain('would be replaced (replacement was asked for with -replace)');
  });

  test('an errored plan is refused: it is incomplete', () => {
    const f = loadFixture('create-only');
    const review = reviewPlan({ stack: f.stack, plan: { ...f.plan, errored: true }, synthesized: f.synthesized, allowReplace: [] });
    expect(review.verdict).toMatchObject({ refused: true, summary: expect.stringMatching(/incomplete/) });
    // What a caller passes when `terraform plan` failed and there is no plan JSON at all.
    const stub = reviewPlan({ stack: f.stack, plan: { errored: true, resource_changes: [] }, synthesized: f.synthesized, allowReplace: [] });
    expect(stub).toMatchObject({ errored: true, changes: [], verdict: { refused: true } });
  });
});
