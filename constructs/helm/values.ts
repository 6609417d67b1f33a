/**
 * Helm values built in code and rendered deterministically: sorted keys, JSON (which Helm reads as
 * YAML). The same config always gives byte-identical values, so a re-run plans no change.
 * Terraform references (tokens) may sit inside strings; secrets must not: pass those with
 * `set_sensitive` so the value never reaches the synthesized JSON or the plan output.
 */

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

/** Values as one JSON document with sorted keys. */
export function renderValues(values: HelmValues): string {
  return JSON.stringify(sortDeep(values), null, 2);
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
