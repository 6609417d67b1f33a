/**
 * Starts the ARM stand-in by hand and prints the environment to point Terraform at it:
 *
 *   npx tsx tools/arm-standin/cli.ts [--port 8443] [--proxy-port 8444] [--dir /tmp/arm] \
 *     [--kubeconfig ~/.kube/config] [--blob-endpoint 'http://127.0.0.1:10000/{account}/'] [--account-key KEY]
 *   eval "$(...the printed export lines...)"; terraform apply
 *
 * Unanswered requests are printed as they happen and again on Ctrl-C. This is the only place
 * that reads the environment or the command line; the library takes everything as options.
 */
import * as fs from 'fs';
import { parseArgs } from 'util';
import { startArmStandIn } from './server';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: 'string', default: '0' },
      'proxy-port': { type: 'string', default: '0' },
      dir: { type: 'string' },
      kubeconfig: { type: 'string' },
      'blob-endpoint': { type: 'string' },
      'account-key': { type: 'string' },
    },
  });
  const blobTemplate = values['blob-endpoint'];
  const standIn = await startArmStandIn({
    port: Number(values.port),
    proxyPort: Number(values['proxy-port']),
    workDir: values.dir,
    kubeconfig: values.kubeconfig ? fs.readFileSync(values.kubeconfig, 'utf8') : undefined,
    blobEndpoint: blobTemplate ? (account) => blobTemplate.replace('{account}', account) : undefined,
    storageAccountKey: values['account-key'] ?? process.env.ARM_STANDIN_ACCOUNT_KEY,
  });
  for (const [k, v] of Object.entries(standIn.tokenEnv())) console.log(`export ${k}='${v}'`);
  console.error(`# ARM stand-in at ${standIn.armUrl}, proxy ${standIn.proxyUrl}, request log ${standIn.requestLogFile}`);

  let seen = 0;
  const timer = setInterval(() => {
    const all = standIn.unanswered();
    for (const u of all.slice(seen)) console.error(`# UNANSWERED ${u.method} ${u.host}${u.path}${u.query} (${u.reason})`);
    seen = all.length;
  }, 500);
  const stop = async () => {
    clearInterval(timer);
    console.error(`# ${standIn.requests().length} requests, ${standIn.unanswered().length} unanswered`);
    await standIn.stop();
    process.exit(0);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
