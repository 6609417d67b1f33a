/**
 * Attribute paths as Terraform's plan JSON gives them (`replace_paths`: arrays of steps, each an
 * attribute name, a map key or a list index), rendered as one dotted string.
 */

export type PathStep = string | number;

const SIMPLE = /^[A-Za-z_][A-Za-z0-9_-]*$/;

/**
 * `["network_profile", 0, "network_plugin"]` -> `network_profile.0.network_plugin`. A step that is
 * not a plain name (a map key such as `app.kubernetes.io/name`) is quoted in brackets, so that its
 * dots are not read as separators: `metadata.0.labels["app.kubernetes.io/name"]`.
 */
export function dottedPath(steps: readonly PathStep[]): string {
  let out = '';
  for (const step of steps) {
    if (typeof step === 'number') out += out ? `.${step}` : String(step);
    else if (SIMPLE.test(step)) out += out ? `.${step}` : step;
    else out += `[${JSON.stringify(step)}]`;
  }
  return out;
}

/** Whether `prefix` is `path` or one of its ancestors (a replace path covers everything below it). */
export function isPrefix(prefix: readonly PathStep[], path: readonly PathStep[]): boolean {
  return prefix.length <= path.length && prefix.every((step, i) => step === path[i]);
}
