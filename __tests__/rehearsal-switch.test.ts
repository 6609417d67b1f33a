/**
 * STATE_BACKEND=rehearsal, the one switch `npm run rehearse` flips: the stacks stay as they deploy,
 * except the state endpoint lookup and the chart repository. Anything else changing would mean the
 * rehearsal proves something other than what ships.
 */
import { Testing } from 'cdktf';
import { loadCommittedConfig } from './helpers';
import { buildEnvironment, rehearsalSettings } from '../stacks/environment';

const REPO = 'http://127.0.0.1:8999/';

function synthAll(kind: 'azurerm' | 'rehearsal') {
  const stacks = buildEnvironment(Testing.app(), loadCommittedConfig('dev'), kind, kind === 'rehearsal' ? { chartRepository: REPO } : undefined);
  return Object.fromEntries(Object.values(stacks).map((s) => [s.node.id, JSON.parse(Testing.synth(s))])) as Record<string, any>;
}

describe('the rehearsal switch', () => {
  const deployed = synthAll('azurerm');
  const rehearsed = synthAll('rehearsal');

  test('every backend and every remote-state read looks the blob endpoint up, and changes nothing else', () => {
    for (const [id, json] of Object.entries<any>(rehearsed)) {
      expect(json.terraform.backend.azurerm).toEqual({ ...deployed[id].terraform.backend.azurerm, lookup_blob_endpoint: true });
      for (const [name, state] of Object.entries<any>(json.data?.terraform_remote_state ?? {})) {
        expect(state.config).toEqual({ ...deployed[id].data.terraform_remote_state[name].config, lookup_blob_endpoint: true });
      }
    }
  });

  test('chart-repository releases point at the local repository, with the same chart and version', () => {
    const releases = (json: any) => Object.values<any>(json.resource.helm_release);
    const before = releases(deployed['application-dev']);
    const after = releases(rehearsed['application-dev']);
    expect(after.map((r) => r.repository)).toEqual(before.map((r) => (r.repository === undefined ? undefined : REPO)));
    expect(after.map((r) => [r.chart, r.version])).toEqual(before.map((r) => [r.chart, r.version]));
  });

  test('nothing else in any stack differs', () => {
    const strip = (json: any) => {
      const copy = JSON.parse(JSON.stringify(json));
      delete copy.terraform.backend;
      delete copy.data?.terraform_remote_state;
      for (const r of Object.values<any>(copy.resource?.helm_release ?? {})) delete r.repository;
      return copy;
    };
    for (const id of Object.keys(deployed)) expect(strip(rehearsed[id])).toEqual(strip(deployed[id]));
  });

  test('fails if the rehearsal has no local chart repository, or one off loopback', () => {
    expect(() => rehearsalSettings('rehearsal', undefined)).toThrow(/REHEARSAL_CHART_REPOSITORY .*\(got "\(unset\)"\)/);
    expect(() => rehearsalSettings('rehearsal', 'https://charts.example.com/')).toThrow(/http:\/\/127\.0\.0\.1:<port>/);
    expect(rehearsalSettings('azurerm', undefined)).toBeUndefined();
  });
});
