/**
 * Reads environment files and turns every mistake in them into a ConfigError that names the
 * file, the field path, the rule and the offending value. Nothing here touches cdktf, so a bad
 * file stops the app before any stack is built or written.
 */
import * as fs from 'fs';
import * as path from 'path';
import { parseDocument } from 'yaml';
import { stateStorageNames } from '../constructs/core/naming';
import { cidrsOverlap, crossFieldProblems, type ConfigProblem } from './rules';
import { platformConfigSchema, type PlatformConfig } from './schema';

export interface LoadedEnvironment {
  /** The file it came from, relative to the working directory when possible. */
  readonly file: string;
  readonly config: PlatformConfig;
}

export interface FileProblem extends ConfigProblem {
  readonly file: string;
}

export class ConfigError extends Error {
  constructor(readonly problems: readonly FileProblem[]) {
    super(problems.map(formatProblem).join('\n'));
    this.name = 'ConfigError';
  }
}

function formatValue(value: unknown): string {
  if (value === undefined) return 'nothing';
  const text = JSON.stringify(value);
  return text.length > 300 ? `${text.slice(0, 297)}...` : text;
}

export function formatProblem(problem: FileProblem): string {
  const where = problem.path === '' ? '(top level)' : problem.path;
  return `${problem.file}: ${where}: ${problem.rule} (got ${formatValue(problem.value)})`;
}

function displayPath(file: string): string {
  const relative = path.relative(process.cwd(), file);
  return relative.startsWith('..') ? file : relative;
}

/** Validates one already-parsed document; `file` only labels the problems. */
export function validateEnvironment(document: unknown, file: string): PlatformConfig {
  const result = platformConfigSchema.safeParse(document, { reportInput: true });
  if (!result.success) {
    throw new ConfigError(
      result.error.issues.map((issue) => {
        const base = issue.path.join('.');
        // Unknown keys are reported on the parent object; name the key itself instead.
        if (issue.code === 'unrecognized_keys') {
          return { file, path: [base, issue.keys[0]].filter(Boolean).join('.'), rule: `is not a known field (${issue.keys.length > 1 ? `also: ${issue.keys.slice(1).join(', ')}; ` : ''}check its spelling)`, value: (issue.input as Record<string, unknown>)?.[issue.keys[0]] };
        }
        return { file, path: base, rule: issue.message, value: issue.input };
      }),
    );
  }
  const config = result.data;
  const expected = path.basename(file).replace(/\.ya?ml$/, '');
  const problems: FileProblem[] = crossFieldProblems(config).map((p) => ({ file, ...p }));
  if (config.environment !== expected) {
    problems.unshift({ file, path: 'environment', rule: `must match the file name (${expected})`, value: config.environment });
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return config;
}

/** Reads and validates one environment file. */
export function loadEnvironmentFile(file: string): LoadedEnvironment {
  const label = displayPath(file);
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    throw new ConfigError([{ file: label, path: '', rule: `cannot be read (${(error as NodeJS.ErrnoException).code ?? String(error)})`, value: undefined }]);
  }
  const document = parseDocument(text, { uniqueKeys: true });
  if (document.errors.length > 0) {
    throw new ConfigError(
      document.errors.map((error) => ({
        file: label,
        path: '',
        rule: `is not valid YAML at line ${error.linePos?.[0].line ?? '?'}: ${error.message.split('\n')[0]}`,
        value: undefined,
      })),
    );
  }
  return { file: label, config: validateEnvironment(document.toJS(), label) };
}

/**
 * Loads every `*.yaml` in `directory` (sorted, so stacks are always built in the same order),
 * or only `onlyFile` when given. All files are checked before any error is thrown, so one run
 * reports every problem in every file.
 */
export function loadEnvironments(directory: string, onlyFile?: string): LoadedEnvironment[] {
  const files = onlyFile
    ? [onlyFile]
    : fs
        .readdirSync(directory)
        .filter((name) => /\.ya?ml$/.test(name))
        .sort()
        .map((name) => path.join(directory, name));
  if (files.length === 0) {
    throw new ConfigError([{ file: displayPath(directory), path: '', rule: 'must contain at least one environment file (*.yaml)', value: undefined }]);
  }
  const loaded: LoadedEnvironment[] = [];
  const problems: FileProblem[] = [];
  for (const file of files) {
    try {
      loaded.push(loadEnvironmentFile(file));
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      problems.push(...error.problems);
    }
  }
  const seen = new Map<string, string>();
  for (const { file, config } of loaded) {
    const other = seen.get(config.environment);
    if (other) problems.push({ file, path: 'environment', rule: `must be unique across files (${other} has it too)`, value: config.environment });
    seen.set(config.environment, file);
  }
  // Environments may be peered one day: their VNets must not share an address.
  loaded.forEach(({ file, config }, i) => {
    for (const earlier of loaded.slice(0, i)) {
      if (cidrsOverlap(earlier.config.network.vnetCidr, config.network.vnetCidr)) {
        problems.push({
          file,
          path: 'network.vnetCidr',
          rule: `must not overlap network.vnetCidr of ${earlier.file} (${earlier.config.network.vnetCidr}): environments may be peered one day`,
          value: config.network.vnetCidr,
        });
      }
    }
  });
  // Environments that keep their state in one account build one state-storage stack: its network
  // access is one setting, so their files must agree on it.
  const accountOf = (config: PlatformConfig) =>
    config.state.storageAccountName ?? stateStorageNames({ ...config, location: config.state.location ?? config.location }).storageAccount;
  loaded.forEach(({ file, config }, i) => {
    const earlier = loaded.slice(0, i).find((e) => accountOf(e.config) === accountOf(config));
    if (earlier && JSON.stringify(earlier.config.state.networkAccess) !== JSON.stringify(config.state.networkAccess)) {
      problems.push({
        file,
        path: 'state.networkAccess',
        rule: `must equal state.networkAccess of ${earlier.file} (${JSON.stringify(earlier.config.state.networkAccess)}): both keep their state in account ${accountOf(config)}; give one its own account (state.storageAccountName) or make them agree`,
        value: config.state.networkAccess,
      });
    }
  });
  if (problems.length > 0) throw new ConfigError(problems);
  return loaded;
}

/**
 * Removes the stacks an earlier synth wrote to cdktf's output directory, so that a later
 * `terraform plan` in cdktf.out/stacks/<stack> cannot use them after a failed synth. Only that
 * directory is touched (CDKTF_OUTDIR, which the cdktf CLI sets from --output or cdktf.json, else
 * cdktf's default `cdktf.out`), and only when it is a cdktf output (it holds manifest.json): each
 * `stacks/<name>` that holds a cdk.tf.json, then the manifest. Returns the removed stack names.
 */
export function removeStaleSynthOutput(outdir: string = process.env.CDKTF_OUTDIR || 'cdktf.out'): string[] {
  const root = path.resolve(outdir);
  const manifest = path.join(root, 'manifest.json');
  if (!fs.existsSync(manifest)) return [];
  const stacksDir = path.join(root, 'stacks');
  const removed: string[] = [];
  if (fs.existsSync(stacksDir)) {
    for (const entry of fs.readdirSync(stacksDir, { withFileTypes: true })) {
      const stackDir = path.join(stacksDir, entry.name);
      if (entry.isDirectory() && !entry.isSymbolicLink() && fs.existsSync(path.join(stackDir, 'cdk.tf.json'))) {
        fs.rmSync(stackDir, { recursive: true, force: true });
        removed.push(entry.name);
      }
    }
    if (fs.readdirSync(stacksDir).length === 0) fs.rmdirSync(stacksDir);
  }
  fs.rmSync(manifest, { force: true });
  return removed.sort();
}

/**
 * Runs an app's entry point. A ConfigError becomes one line per problem on stderr and exit code 1,
 * with no stack trace, and the previous synth's stacks are removed from cdktf's output directory
 * (a later plan must not use them); anything else is a bug and keeps its trace.
 */
export function runReportingConfigErrors(main: () => void): void {
  try {
    main();
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    console.error(`Configuration is invalid:\n${error.message}`);
    const removed = removeStaleSynthOutput();
    if (removed.length > 0) {
      console.error(`Removed the previous synth's stacks from ${process.env.CDKTF_OUTDIR || 'cdktf.out'} (${removed.join(', ')}), so that no plan uses them.`);
    }
    process.exit(1);
  }
}
