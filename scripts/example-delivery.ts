/**
 * The pipeline-identity stacks exist only for an environment file with `delivery`, and no
 * committed file has one (each team fills in its own repository). So that those stacks are
 * synthesized, snapshotted, validated, scanned by Checkov and listed in addresses/ like every
 * other stack, the checks build them for each committed environment with this example delivery.
 * One place, so every check sees the same stacks.
 */
import * as fs from 'fs';
import * as path from 'path';
import { parse, stringify } from 'yaml';
import type { PlatformConfig } from '../config/schema';

export const EXAMPLE_DELIVERY: NonNullable<PlatformConfig['delivery']> = {
  github: { owner: 'example-org', repository: 'opik-infra' },
  roleScope: 'resource-groups',
};

/** A copy of the environment with the example delivery, unless it has a delivery of its own. */
export function withExampleDelivery(config: PlatformConfig): PlatformConfig {
  return config.delivery ? config : { ...config, delivery: EXAMPLE_DELIVERY };
}

/**
 * Each environment file in `environmentsDir` that has no `delivery`, copied into `outDir` with the
 * example one (same file name: the environment is the file's name). Returns the files written.
 */
export function writeExampleDeliveryFiles(environmentsDir: string, outDir: string): string[] {
  fs.mkdirSync(outDir, { recursive: true });
  const written: string[] = [];
  for (const name of fs.readdirSync(environmentsDir).filter((n) => /\.ya?ml$/.test(n)).sort()) {
    const data = parse(fs.readFileSync(path.join(environmentsDir, name), 'utf8'));
    if (data.delivery) continue;
    data.delivery = EXAMPLE_DELIVERY;
    const file = path.join(outDir, name);
    fs.writeFileSync(file, stringify(data));
    written.push(file);
  }
  return written;
}
