/**
 * Helm values built in code and rendered deterministically as block YAML: sorted keys, one setting
 * a line, multi-line strings as literal blocks. The same config always gives byte-identical values,
 * so a re-run plans no change, and a changed setting shows as one changed line in `cdktf diff`, a
 * plan review and a snapshot diff (a JSON document on one line would show as one 5,000-character
 * change).
 *
 * Terraform references (tokens) may sit inside strings; secrets must not: pass those with
 * `set_sensitive` so the value never reaches the synthesized JSON or the plan output.
 */
import { Document, isScalar, visit } from 'yaml';

export type HelmValues = { [key: string]: unknown };

function sortDeep(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortDeep);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>)
        .filter(([, v]) => v !== undefined)
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
        .map(([k, v]) => [k, sortDeep(v)]),
    );
  }
  return value;
}

/**
 * Values as one YAML document with sorted keys.
 *
 * A one-line string holding a Terraform reference (`${...}`) is double-quoted: Terraform
 * substitutes the value before Helm reads the YAML, and quoting keeps a substituted value that
 * looks like a number, a boolean or a `key: value` a string. Multi-line strings are literal blocks,
 * so each of their lines diffs on its own.
 */
export function renderValues(values: HelmValues): string {
  const doc = new Document(sortDeep(values));
  visit(doc, {
    Scalar(_key, node) {
      if (!isScalar(node) || typeof node.value !== 'string') return;
      if (node.value.includes('\n')) node.type = 'BLOCK_LITERAL';
      else if (node.value.includes('${')) node.type = 'QUOTE_DOUBLE';
    },
  });
  return doc.toString({ lineWidth: 0, minContentWidth: 0, indentSeq: true });
}

/**
 * Sets `path` (dot-separated, as the chart documents its keys) inside `values`, creating the
 * objects on the way. Keys that contain a dot cannot be addressed this way; nest them by hand.
 */
export function setPath(values: HelmValues, path: string, value: unknown): void {
  const keys = path.split('.');
  let node: HelmValues = values;
  for (const key of keys.slice(0, -1)) {
    const next = node[key];
    if (next === undefined) node[key] = {};
    else if (typeof next !== 'object' || next === null || Array.isArray(next)) {
      throw new Error(`cannot set ${path}: ${key} already holds a non-object value`);
    }
    node = node[key] as HelmValues;
  }
  node[keys[keys.length - 1]] = value;
}

/** Escapes a key for a Helm `--set` path (set_sensitive `name`): dots inside a key become `\.`. */
export function helmSetKey(...segments: string[]): string {
  return segments.map((s) => s.replace(/\./g, '\\.')).join('.');
}
