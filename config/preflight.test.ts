import * as path from 'path';
import { parse } from 'yaml';
import * as fs from 'fs';
import { placeholderProblems } from './preflight';

const committed = (env: string) => parse(fs.readFileSync(path.join(__dirname, 'environments', `${env}.yaml`), 'utf8'));

describe('preflight: placeholders of the committed examples', () => {
  test.each(['dev', 'staging', 'prod'])('fails if %s.yaml still holds the example values, naming each field', (env) => {
    const problems = placeholderProblems(`${env}.yaml`, committed(env));
    const paths = problems.map((p) => p.path);
    expect(paths).toContain('cluster.adminGroupObjectIds[0]');
    expect(paths).toContain('cluster.apiServerAuthorizedIpRanges[0]');
    expect(paths).toContain('application.accessGroupObjectId');
    expect(problems.find((p) => p.path === 'cluster.apiServerAuthorizedIpRanges[0]')!.rule).toMatch(/203\.0\.113\.0\/24, the documentation range/);
  });

  test('fails if a domain or e-mail is an example.com one', () => {
    const problems = placeholderProblems('x.yaml', { application: { domain: 'opik.example.com', letsEncryptEmail: 'ops@example.com' } });
    expect(problems.map((p) => [p.path, p.value])).toEqual([
      ['application.domain', 'opik.example.com'],
      ['application.letsEncryptEmail', 'ops@example.com'],
    ]);
  });

  test("fails on prod's example resource IDs (the runners' subnet, VNet and blob zone), naming each field", () => {
    const problems = placeholderProblems('prod.yaml', committed('prod'));
    expect(problems.filter((p) => /^\/subscriptions\/0{8}-/.test(String(p.value))).map((p) => p.path).sort()).toEqual([
      'privateEndpoints.linkedVnetIds[0]',
      'state.networkAccess.privateDnsZoneId',
      'state.networkAccess.subnetId',
    ]);
    expect(problems.find((p) => p.path === 'state.networkAccess.subnetId')!.rule).toMatch(/resource ID of the committed example/);
    // dev's and staging's state allow-list holds the documentation range, which is refused too.
    expect(placeholderProblems('dev.yaml', committed('dev')).map((p) => p.path)).toContain('state.networkAccess.ipRanges[0]');
  });

  test('passes real values', () => {
    expect(
      placeholderProblems('x.yaml', {
        subscriptionId: '0b1c2a4e-1234-4000-8000-000000000001',
        cluster: { apiServerAuthorizedIpRanges: ['198.51.99.0/24', '20.1.2.3/32'] },
        state: { networkAccess: { subnetId: '/subscriptions/0b1c2a4e-1234-4000-8000-000000000001/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/v/subnets/s' } },
        application: { domain: 'opik.contoso.io' },
      }),
    ).toEqual([]);
  });
});
