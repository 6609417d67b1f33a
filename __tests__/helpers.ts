/** Shared test helpers: load the committed environment files and synthesize their stacks. */
import * as fs from 'fs';
import * as path from 'path';
import { Testing } from 'cdktf';
import { ConfigError, loadEnvironmentFile, validateEnvironment } from '../config/load';
import type { PlatformConfig } from '../config/schema';
import type { StateBackendKind } from '../constructs/core/state-backend';
import { buildEnvironment, type EnvironmentStacks } from '../stacks/environment';

export const ENVIRONMENTS_DIR = path.join(__dirname, '..', 'config', 'environments');
/** Every committed environment, read from config/environments/*.yaml: a new file is tested without touching this list. */
export const ENVIRONMENT_NAMES: readonly string[] = fs
  .readdirSync(ENVIRONMENTS_DIR)
  .filter((name) => /\.ya?ml$/.test(name))
  .map((name) => name.replace(/\.ya?ml$/, ''))
  .sort();

export function loadCommittedConfig(environment: string): PlatformConfig {
  return loadEnvironmentFile(path.join(ENVIRONMENTS_DIR, `${environment}.yaml`)).config;
}

/** Synthesized Terraform JSON of one stack, as Terraform would read it (metadata stripped). */
export type StackJson = Record<string, any>;

export function synthStack(stack: Parameters<typeof Testing.synth>[0]): StackJson {
  return JSON.parse(Testing.synth(stack));
}

/** Builds one environment's stacks in a fresh test app. */
export function buildStacks(config: PlatformConfig, kind: StateBackendKind = 'azurerm'): EnvironmentStacks {
  const app = Testing.app();
  return buildEnvironment(app, config, kind);
}

/** Resources of one type in a synthesized stack, as a list. */
export function resourcesOf(json: StackJson, type: string): Record<string, any>[] {
  return Object.values(json.resource?.[type] ?? {});
}

/** A deep copy of a committed config, to change one field in a test. */
export function cloneConfig(config: PlatformConfig): PlatformConfig {
  return JSON.parse(JSON.stringify(config));
}

/** The problems validation reports for a parsed environment file, one line each (none: []). */
export function configProblems(document: unknown, file: string): string[] {
  try {
    validateEnvironment(document, file);
  } catch (error) {
    if (error instanceof ConfigError) return error.message.split('\n');
    throw error;
  }
  return [];
}
