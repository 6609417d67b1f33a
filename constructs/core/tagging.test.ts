import { platformTags } from './tagging';

test('the fixed tags win over extra tags of the same name', () => {
  expect(platformTags({ environment: 'prod', workload: 'opik', extra: { environment: 'oops', owner: 'me' } })).toEqual({
    environment: 'prod',
    'managed-by': 'cdktf',
    owner: 'me',
    workload: 'opik',
  });
});

test('keys are sorted so the JSON does not depend on the order in the file', () => {
  const a = platformTags({ environment: 'dev', workload: 'opik', extra: { b: '1', a: '2' } });
  const b = platformTags({ environment: 'dev', workload: 'opik', extra: { a: '2', b: '1' } });
  expect(JSON.stringify(a)).toBe(JSON.stringify(b));
  expect(Object.keys(a)).toEqual(['a', 'b', 'environment', 'managed-by', 'workload']);
});
