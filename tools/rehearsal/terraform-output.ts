/**
 * Reading what a person reads in cdktf's and Terraform's output, for checks that must not depend on
 * colours, terminal width or where cdktf indents: the rehearsal's scenarios and the cdktf refusal
 * test use the same reading.
 */

/** The text without colour codes, the box Terraform draws around a diagnostic, and white space. */
export const asRead = (text: string): string => text.replace(/\x1b\[[0-9;]*[A-Za-z]/g, '').replace(/[\s│╷╵]+/g, '');

/** Every address a prevent_destroy error names in Terraform's own (no-color) plan output. */
export function preventDestroyAddresses(planOutput: string): string[] {
  const text = asRead(planOutput);
  return [...new Set([...text.matchAll(/Resource([^\s(]+?)(?:\([^)]*\))?haslifecycle\.prevent_destroyset/g)].map((m) => m[1]))];
}

/** What a user read shows of Terraform's refusal: how many prevent_destroy errors, and which of `addresses` it does not name. */
export function refusalShown(userOutput: string, addresses: readonly string[]): { errors: number; notNamed: string[] } {
  const read = asRead(userOutput);
  return { errors: (read.match(/Error:Instancecannotbedestroyed/g) ?? []).length, notNamed: addresses.filter((a) => !read.includes(`Resource${a}`)) };
}
