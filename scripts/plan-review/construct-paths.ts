/**
 * Where a resource comes from in the code: cdktf writes each resource's construct path into the
 * synthesized JSON (`"//": {"metadata": {"path": "data-disks-dev/disk-mysql/Resource"}}`), so an
 * address in a plan leads back to the construct that made it.
 */

/** The synthesized block of a root-module resource (or data source), if the stack still has it. */
export function synthesizedBlock(synthesized: any, change: { mode?: string; type: string; name: string; module_address?: string }): any {
  // cdktf stacks have no child modules; a module's resources are not in the stack's own JSON.
  if (change.module_address) return undefined;
  const block = change.mode === 'data' ? 'data' : 'resource';
  return synthesized?.[block]?.[change.type]?.[change.name];
}

/** The construct path that owns a resource, or undefined when the synthesized stack no longer has it (a delete). */
export function constructPath(synthesized: any, change: { mode?: string; type: string; name: string; module_address?: string }): string | undefined {
  const path = synthesizedBlock(synthesized, change)?.['//']?.metadata?.path;
  return typeof path === 'string' ? path : undefined;
}
