/**
 * Checks made before a real plan or deploy, never for synth or tests: the committed environment
 * files carry documentation placeholders (GUIDs `6f1c2a4e-0000-…`, the 203.0.113.0/24 range that
 * RFC 5737 reserves for documentation, example.com), which synthesize fine but would deploy an
 * access group nobody is in, an API server nobody can reach, or a certificate for a domain nobody
 * owns.
 */
import * as ipaddr from 'ipaddr.js';
import type { FileProblem } from './load';

const PLACEHOLDER_GUID = /^6f1c2a4e-0000-/i;
const DOCUMENTATION_NET = ipaddr.parseCIDR('203.0.113.0/24');
const EXAMPLE_DOMAIN = /(^|\.|@)example\.(com|org|net)$/i;
/** Resource IDs in the committed example (the runners' subnet, VNet and DNS zone) name the all-zero subscription. */
const PLACEHOLDER_RESOURCE_ID = /^\/subscriptions\/00000000-0000-0000-0000-000000000000\//i;

function placeholderRule(value: string): string | undefined {
  if (PLACEHOLDER_RESOURCE_ID.test(value)) return 'is a resource ID of the committed example (subscription 00000000-…): put the ID of your own resource here';
  if (PLACEHOLDER_GUID.test(value)) return 'is the placeholder GUID of the committed example: put your own Entra ID object ID or subscription ID here';
  const ip = value.split('/')[0];
  if (ipaddr.IPv4.isValidFourPartDecimal(ip) && ipaddr.parse(ip).match(DOCUMENTATION_NET)) {
    return 'is in 203.0.113.0/24, the documentation range of the committed example: put your own public IP or range here';
  }
  if (EXAMPLE_DOMAIN.test(value)) return 'is an example.com name of the committed example: put a domain (or e-mail) of your own here';
  return undefined;
}

/** Every placeholder value in an environment file's parsed content, with its field path. */
export function placeholderProblems(file: string, config: unknown): FileProblem[] {
  const problems: FileProblem[] = [];
  const walk = (node: unknown, path: string) => {
    if (typeof node === 'string') {
      const rule = placeholderRule(node);
      if (rule) problems.push({ file, path, rule: `${rule}; placeholders are refused for a real plan or deploy`, value: node });
    } else if (Array.isArray(node)) node.forEach((v, i) => walk(v, `${path}[${i}]`));
    else if (node && typeof node === 'object') for (const [k, v] of Object.entries(node)) walk(v, path ? `${path}.${k}` : k);
  };
  walk(config, '');
  return problems;
}
