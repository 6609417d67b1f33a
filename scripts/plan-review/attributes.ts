/**
 * An update, attribute by attribute: the leaves of `before` and `after` that differ, each with its
 * dotted path. Values the plan marks sensitive (`before_sensitive` / `after_sensitive`, trees that
 * mirror the values with `true` where a value is sensitive) are never shown, in any form: no value,
 * no length, no diff, only `(sensitive value)`. Values only known after apply (`after_unknown`)
 * read `(known after apply)`. Multi-line strings, such as a Helm release's `values`, come as a
 * unified line diff.
 */
import { structuredPatch } from 'diff';
import type { AttributeChange } from './model';
import { dottedPath, isPrefix, type PathStep } from './paths';

export const SENSITIVE = '(sensitive value)';
export const UNKNOWN = '(known after apply)';
export const NONE = '(none)';

/** Lines of context around each change in a line diff. */
const CONTEXT_LINES = 3;

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The mask below `key` of a sensitivity/unknown tree (`true` covers the whole subtree). */
function below(mask: unknown, key: string | number): unknown {
  if (mask === true) return true;
  if (Array.isArray(mask) && typeof key === 'number') return mask[key];
  if (isObject(mask) && typeof key === 'string') return mask[key];
  return undefined;
}

/** Whether any value in the subtree is marked. */
function anyMarked(mask: unknown): boolean {
  if (mask === true) return true;
  if (Array.isArray(mask)) return mask.some(anyMarked);
  if (isObject(mask)) return Object.values(mask).some(anyMarked);
  return false;
}

function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => deepEqual(x, b[i]));
  if (isObject(a) && isObject(b)) {
    const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
    return [...keys].every((k) => deepEqual(a[k], b[k]));
  }
  return false;
}

/** A copy of `value` with every sensitive part replaced by the mask text and every unknown part by its marker. */
function redact(value: unknown, sensitive: unknown, unknown: unknown): unknown {
  if (sensitive === true) return SENSITIVE;
  if (unknown === true) return UNKNOWN;
  if (Array.isArray(value)) return value.map((v, i) => redact(v, below(sensitive, i), below(unknown, i)));
  if (isObject(value) || isObject(unknown)) {
    const out: Record<string, unknown> = {};
    const keys = new Set([...Object.keys(isObject(value) ? value : {}), ...Object.keys(isObject(unknown) ? unknown : {})]);
    for (const k of keys) out[k] = redact(isObject(value) ? value[k] : undefined, below(sensitive, k), below(unknown, k));
    return out;
  }
  return value;
}

/** Values longer than this are cut (never sensitive ones: those are not shown at all). */
export const MAX_VALUE_CHARS = 200;

function display(value: unknown, sensitive: unknown, unknown: unknown): string {
  if (sensitive === true) return SENSITIVE;
  if (unknown === true) return UNKNOWN;
  if (value === undefined || value === null) return NONE;
  const text = JSON.stringify(redact(value, sensitive, unknown));
  // Cut only text with no masked part in it, so that a cut never falls inside a mask.
  if (text.length <= MAX_VALUE_CHARS || anyMarked(sensitive)) return text;
  return `${text.slice(0, MAX_VALUE_CHARS - 40)}… (${text.length} characters)`;
}

/** null on one side, an empty value on the other: the provider's way of saying "not set", not a change. */
const empty = (v: unknown) => v === undefined || v === null || v === '' || (Array.isArray(v) && v.length === 0) || (isObject(v) && Object.keys(v).length === 0);

/** A unified diff of two texts, hunks only (`@@ -a,b +c,d @@` and the lines), without file headers. */
export function lineDiff(before: string, after: string): string {
  const patch = structuredPatch('before', 'after', before, after, '', '', { context: CONTEXT_LINES });
  return patch.hunks
    .map((h) => [`@@ -${h.oldStart},${h.oldLines} +${h.newStart},${h.newLines} @@`, ...h.lines.filter((l) => !l.startsWith('\\'))].join('\n'))
    .join('\n');
}

const multiLine = (v: unknown) => typeof v === 'string' && v.includes('\n');

export interface ChangeMasks {
  readonly before_sensitive?: unknown;
  readonly after_sensitive?: unknown;
  readonly after_unknown?: unknown;
  readonly replace_paths?: readonly (readonly PathStep[])[];
}

export interface AttributeOptions {
  /**
   * For a replacement, only what the new object is known to change: attributes the new object
   * leaves unset or only learns after apply are left out, unless they force the replacement.
   */
  readonly replacement?: boolean;
}

/**
 * The changed leaves between `before` and `after`. Containers are walked when both sides are the
 * same kind of container; anything else (a block added or removed, a type change) is one change,
 * shown whole with its sensitive parts masked.
 */
export function attributeChanges(before: unknown, after: unknown, masks: ChangeMasks, options: AttributeOptions = {}): AttributeChange[] {
  const out: AttributeChange[] = [];
  const replacePaths = masks.replace_paths ?? [];
  const forces = (path: PathStep[]) => replacePaths.some((p) => isPrefix(p, path) || isPrefix(path, p));

  const walk = (b: unknown, a: unknown, bs: unknown, as: unknown, au: unknown, path: PathStep[]) => {
    const sensitive = anyMarked(bs) || anyMarked(as);
    // A sensitive value is compared but never shown; whole sensitive subtrees are one change.
    if (bs === true || as === true) {
      if (au === true || !deepEqual(b, a)) {
        out.push({ path: dottedPath(path), before: b === undefined || b === null ? NONE : SENSITIVE, after: au === true ? UNKNOWN : a === undefined || a === null ? NONE : SENSITIVE, sensitive: true, forcesReplacement: forces(path) });
      }
      return;
    }
    if (au === true) {
      if (options.replacement && !forces(path)) return;
      out.push({ path: dottedPath(path), before: display(b, bs, undefined), after: UNKNOWN, sensitive, forcesReplacement: forces(path) });
      return;
    }
    if (Array.isArray(b) && (Array.isArray(a) || Array.isArray(au))) {
      const after = Array.isArray(a) ? a : [];
      const n = Math.max(b.length, after.length, Array.isArray(au) ? au.length : 0);
      for (let i = 0; i < n; i++) walk(b[i], after[i], below(bs, i), below(as, i), below(au, i), [...path, i]);
      return;
    }
    if (isObject(b) && (isObject(a) || isObject(au))) {
      const after = isObject(a) ? a : {};
      const keys = [...new Set([...Object.keys(b), ...Object.keys(after), ...Object.keys(isObject(au) ? au : {})])].sort();
      for (const k of keys) walk(b[k], after[k], below(bs, k), below(as, k), below(au, k), [...path, k]);
      return;
    }
    if (deepEqual(b, a) && !anyMarked(au)) return;
    if (empty(b) && empty(a) && !anyMarked(au)) return;
    if (options.replacement && !forces(path) && (a === undefined || a === null || anyMarked(au))) return;
    const change: AttributeChange = { path: dottedPath(path), before: display(b, bs, undefined), after: display(a, as, au), sensitive, forcesReplacement: forces(path) };
    if (!sensitive && (multiLine(b) || multiLine(a)) && (typeof b === 'string' || b == null) && (typeof a === 'string' || a == null)) {
      out.push({ ...change, lineDiff: lineDiff(typeof b === 'string' ? b : '', typeof a === 'string' ? a : '') });
    } else {
      out.push(change);
    }
  };
  walk(before ?? null, after ?? null, masks.before_sensitive, masks.after_sensitive, masks.after_unknown, []);
  return out;
}
