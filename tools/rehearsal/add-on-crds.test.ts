import { ADD_ON_CRDS, SECRET_PROVIDER_CLASS, standInCrd } from './add-on-crds';
import { STAND_IN_DESCRIPTION } from './stand-ins/common';

const spc = standInCrd(SECRET_PROVIDER_CLASS);

test('the SecretProviderClass stand-in has the name, group and version the services chart uses', () => {
  expect(spc.metadata.name).toBe('secretproviderclasses.secrets-store.csi.x-k8s.io');
  expect(spc.spec).toMatchObject({ group: 'secrets-store.csi.x-k8s.io', scope: 'Namespaced', names: { kind: 'SecretProviderClass', plural: 'secretproviderclasses' } });
  expect(spc.spec.versions).toEqual([expect.objectContaining({ name: 'v1', served: true, storage: true })]);
});

test('its schema accepts any spec, since the rehearsal has no driver to read it', () => {
  expect((spc.spec.versions as any[])[0].schema).toEqual({ openAPIV3Schema: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } });
});

test('it says it is a stand-in, in a label and an annotation', () => {
  expect(spc.metadata.labels['rehearsal/stand-in']).toBe('true');
  expect(spc.metadata.annotations['rehearsal/stand-in']).toContain(STAND_IN_DESCRIPTION);
  expect(spc.metadata.annotations['rehearsal/stand-in']).toContain('azureKeyvaultSecretsProvider');
});

test('the cluster gets exactly the SecretProviderClass definition', () => {
  expect(ADD_ON_CRDS.map((c) => c.metadata.name)).toEqual(['secretproviderclasses.secrets-store.csi.x-k8s.io']);
});
