import { parse } from 'yaml';
import { renderValues } from './values';

describe('renderValues', () => {
  const values = {
    zeta: { replicas: 2, enabled: false, removed: null },
    alpha: { registry: '${data.terraform_remote_state.cluster.outputs.acr_login_server}/comet-ml/opik', quantity: '1' },
    config: 'line one\nline two\n',
    list: [{ name: 'a' }, { name: 'b' }],
  };

  test('reads back as exactly the values given', () => {
    expect(parse(renderValues(values))).toEqual(values);
  });

  test('puts one setting on a line, so a changed setting is a one-line diff', () => {
    const before = renderValues(values).split('\n');
    const after = renderValues({ ...values, zeta: { ...values.zeta, replicas: 3 } }).split('\n');
    expect(after).toHaveLength(before.length);
    expect(after.filter((line, i) => line !== before[i])).toEqual(['  replicas: 3']);
  });

  test('writes multi-line strings as literal blocks, one source line a line', () => {
    expect(renderValues({ config: 'a = 1\nb = 2\n' })).toBe('config: |\n  a = 1\n  b = 2\n');
  });

  test('double-quotes a one-line Terraform reference, so the substituted value stays a string', () => {
    expect(renderValues({ tag: '${var.x}' })).toBe('tag: "${var.x}"\n');
  });

  test('sorts keys at every level and is byte-identical on every call', () => {
    const shuffled = { list: values.list, config: values.config, zeta: { removed: null, enabled: false, replicas: 2 }, alpha: values.alpha };
    expect(renderValues(shuffled)).toBe(renderValues(values));
    expect(renderValues(values).indexOf('alpha:')).toBeLessThan(renderValues(values).indexOf('zeta:'));
  });
});
