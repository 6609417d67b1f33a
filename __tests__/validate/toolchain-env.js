// Points Terraform (and cdktf's matchers) at the offline toolchain: its CLI and its provider mirror.
const { execFileSync } = require('child_process');
const fs = require('fs');
const path = require('path');

const root = path.join(__dirname, '..', '..');
let envFile;
try {
  envFile = execFileSync('bash', [path.join(root, 'tools', 'toolchain', 'install.sh'), '--print-env'], { encoding: 'utf8' }).trim();
} catch {
  throw new Error('the offline toolchain is not installed: run `npm run toolchain` first');
}
for (const line of fs.readFileSync(envFile, 'utf8').split('\n')) {
  const match = /^export ([A-Z_]+)="?([^"]*)"?$/.exec(line.trim());
  if (match) process.env[match[1]] = match[2];
}
process.env.CHECKPOINT_DISABLE = '1';
