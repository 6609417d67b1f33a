/**
 * "Every values key the project sets changes the render": each leaf the project sets is changed on
 * its own and the chart rendered again. A key whose change leaves the render as it was is ignored
 * by this chart version (misspelt, moved or removed upstream), so whatever it was meant to do
 * does not happen.
 */
import { parse, stringify } from 'yaml';
import type { HelmSet } from './release';

export type ValuesPath = (string | number)[];

/** Leaves of a values tree; a list counts as one leaf (charts read lists whole). */
export function leafPaths(node: unknown, prefix: ValuesPath = []): ValuesPath[] {
  if (node !== null && typeof node === 'object' && !Array.isArray(node)) {
    const entries = Object.entries(node as Record<string, unknown>);
    if (entries.length === 0) return [prefix];
    return entries.flatMap(([k, v]) => leafPaths(v, [...prefix, k]));
  }
  return [prefix];
}

export const describePath = (p: ValuesPath) => p.map((k) => (typeof k === 'number' ? `[${k}]` : /[.\s]/.test(k) ? `"${k}"` : k)).join('.').replace(/\.\[/g, '[');

/** A different value of the same kind; `undefined` means "take the key out" (for `null` and lists). */
export function mutate(value: unknown): { value: unknown } | { remove: true } {
  if (value === null) return { remove: true };
  if (typeof value === 'boolean') return { value: !value };
  if (typeof value === 'number') return { value: value + 1 };
  if (typeof value === 'string') {
    const quantity = /^(\d+)([A-Za-z]*)$/.exec(value);
    if (quantity) return { value: `${Number(quantity[1]) + 1}${quantity[2]}` };
    return { value: `${value}x` };
  }
  if (Array.isArray(value)) return value.length > 0 ? { value: [] } : { remove: true };
  return { remove: true };
}

function withChange(tree: any, p: ValuesPath): any {
  const copy = structuredClone(tree);
  let node = copy;
  for (const k of p.slice(0, -1)) node = node[k];
  const last = p[p.length - 1];
  const change = mutate(node[last]);
  if ('remove' in change) delete node[last];
  else node[last] = change.value;
  return copy;
}

export interface Variant {
  readonly key: string;
  readonly values: string[];
  readonly set: HelmSet[];
}

/** One variant per values leaf and per `set` entry, each with exactly that one change. */
export function variants(values: readonly string[], set: readonly HelmSet[]): Variant[] {
  const out: Variant[] = [];
  values.forEach((doc, i) => {
    const tree = parse(doc) ?? {};
    for (const p of leafPaths(tree)) {
      if (p.length === 0) continue;
      const changed = [...values];
      changed[i] = stringify(withChange(tree, p));
      out.push({ key: describePath(p), values: changed, set: [...set] });
    }
  });
  set.forEach((s, i) => {
    const change = mutate(s.value);
    const value = 'value' in change ? String(change.value) : `${s.value}x`;
    const changed = [...set];
    changed[i] = { ...s, value };
    out.push({ key: `set ${s.name}`, values: [...values], set: changed });
  });
  return out;
}

/**
 * Lines that differ between two renders of the same input (random strings a chart generates on
 * every render); they are left out of every comparison.
 */
export function volatileLines(a: string, b: string): Set<string> {
  const left = new Set(a.split('\n'));
  const right = new Set(b.split('\n'));
  return new Set([...left].filter((l) => !right.has(l)).concat([...right].filter((l) => !left.has(l))));
}

export function sameRender(a: string, b: string, volatile: ReadonlySet<string>): boolean {
  if (a === b) return true;
  const strip = (s: string) => s.split('\n').filter((l) => !volatile.has(l)).join('\n');
  return strip(a) === strip(b);
}
