/**
 * npm run addresses:update: synthesizes every environment in config/environments (and the
 * bootstrap's state storage) and rewrites the lists in addresses/ that __tests__/addresses.test.ts
 * holds the stacks to. Prints what changed: a removed line is a resource a deploy would destroy.
 */
import * as fs from 'fs';
import * as path from 'path';
import { runReportingConfigErrors } from '../config/load';
import { ADDRESSES_DIR, synthesizeAll } from './addresses/inventory';
import { readCommitted, renderAll } from './addresses/lists';

const entries = (text: string | undefined) => new Set((text ?? '').split('\n').filter((line) => line !== '' && !line.startsWith('#')));

function main(): void {
  const files = renderAll(synthesizeAll());
  fs.mkdirSync(ADDRESSES_DIR, { recursive: true });
  for (const [file, text] of files) {
    const before = readCommitted(file);
    const shown = path.relative(process.cwd(), path.join(ADDRESSES_DIR, file));
    if (before === text) {
      console.log(`${shown}: unchanged`);
      continue;
    }
    fs.writeFileSync(path.join(ADDRESSES_DIR, file), text);
    const [old, now] = [entries(before), entries(text)];
    const removed = [...old].filter((line) => !now.has(line));
    const added = [...now].filter((line) => !old.has(line));
    console.log(`${shown}: ${before === undefined ? 'written' : 'updated'}, +${added.length} -${removed.length}`);
    for (const line of removed) console.log(`  - ${line}`);
  }
  console.log('Read `git diff addresses/` and commit it with the change: a removed line is a resource a deploy would destroy.');
}

runReportingConfigErrors(main);
