/** The rehearsal's one table, and what it could not rehearse, for a terminal or a CI log. */
import * as fs from 'fs';
import * as path from 'path';
import type { Rehearsal } from './rehearsal';

export interface ScenarioResult {
  readonly id: number;
  readonly name: string;
  readonly stacks: string;
  readonly passed: boolean;
  readonly seconds: number;
  readonly detail: string;
}

export function formatReport(r: Rehearsal, results: readonly ScenarioResult[], setUpSeconds: number): string {
  const lines = [
    `Rehearsal of ${r.environment}: the real cdktf CLI, Terraform and providers against stand-ins on 127.0.0.1 (set-up ${setUpSeconds.toFixed(0)} s)`,
    '',
    '| # | scenario | stacks | result | time |',
    '|---|---|---|---|---|',
    ...results.map((x) => `| ${x.id} | ${x.name} | ${x.stacks} | ${x.passed ? 'PASS' : 'FAIL'}: ${x.detail.split('\n')[0].replace(/\|/g, '/')} | ${x.seconds.toFixed(0)} s |`),
    '',
    'Stand-ins (not the real thing):',
    ...r.standInNotes.map((n) => `- ${n}`),
  ];
  const adaptations = path.join(r.work, 'adaptations.json');
  if (fs.existsSync(adaptations)) {
    lines.push('', "Providers: the toolchain mirror's builds, adapted per stack as `npm run validate` does:");
    for (const [stack, note] of Object.entries<string>(JSON.parse(fs.readFileSync(adaptations, 'utf8')))) if (note) lines.push(`- ${stack}: ${note}`);
  }
  lines.push('', `ARM requests answered: ${r.armStandIn.requests().length}, unanswered: ${r.armStandIn.unanswered().length}`);
  const passed = results.filter((x) => x.passed).length;
  lines.push(`rehearsal: ${passed} passed, ${results.length - passed} failed`);
  return lines.join('\n');
}
