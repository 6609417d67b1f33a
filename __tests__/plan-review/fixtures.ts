/**
 * The renderer and model unit tests' inputs: small fixtures derived from real plans by
 * real-plans.e2e.ts (PLAN_REVIEW_WRITE_FIXTURES=1 npm run test:plan-review), each the plan's
 * non-trivial resource changes, the synthesized blocks of those resources, and every sensitive value
 * replaced by a `fixture-sensitive-<n>` placeholder.
 */
import * as fs from 'fs';
import * as path from 'path';
import { reviewPlan, type StackReview } from '../../scripts/plan-review';

export type FixtureName = 'create-only' | 'upgrade' | 'disk-replacement' | 'moved' | 'password-replace';

export interface Fixture {
  readonly stack: string;
  readonly plan: any;
  readonly synthesized: any;
}

export function loadFixture(name: FixtureName): Fixture {
  return JSON.parse(fs.readFileSync(path.join(__dirname, 'fixtures', `${name}.json`), 'utf8'));
}

export function reviewFixture(name: FixtureName, allowReplace: string[] = []): StackReview {
  const f = loadFixture(name);
  return reviewPlan({ stack: f.stack, plan: f.plan, synthesized: f.synthesized, allowReplace });
}
