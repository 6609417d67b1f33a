/**
 * npm run test:rehearsal: the rehearsal's scenarios as tests, one each, run in order against one
 * set of stand-ins (each scenario builds on what the previous ones left, as a team's day does).
 * Needs the toolchain (`npm run toolchain`); takes about ten minutes.
 */
import * as fs from 'fs';
import { formatReport, type ScenarioResult } from './report';
import { startRehearsal, type Rehearsal } from './rehearsal';
import { SCENARIOS, seedScriptDisk } from './scenarios';

const environment = process.env.REHEARSE_ENV ?? 'dev';
let r: Rehearsal;
let setUp = 0;
const results: ScenarioResult[] = [];

beforeAll(async () => {
  const t = Date.now();
  r = await startRehearsal(environment);
  setUp = (Date.now() - t) / 1000;
  seedScriptDisk(r);
});

afterAll(async () => {
  if (!r) return;
  console.log(formatReport(r, results, setUp));
  await r.stop();
  // A failed scenario keeps its logs, state and the stand-in's request log for whoever reads CI.
  if (process.env.REHEARSE_KEEP === '1' || results.some((x) => !x.passed)) console.log(`rehearsal work directory kept: ${r.work}`);
  else fs.rmSync(r.work, { recursive: true, force: true });
});

describe(`rehearsal of ${environment}`, () => {
  for (const s of SCENARIOS) {
    test(`${s.id}. ${s.name}`, async () => {
      const t = Date.now();
      try {
        const detail = await s.run(r);
        results.push({ id: s.id, name: s.name, stacks: s.stacks(r), passed: true, seconds: (Date.now() - t) / 1000, detail });
      } catch (e) {
        results.push({ id: s.id, name: s.name, stacks: s.stacks(r), passed: false, seconds: (Date.now() - t) / 1000, detail: (e as Error).message });
        throw e;
      }
    });
  }
});
