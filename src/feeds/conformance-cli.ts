/**
 * npm run conformance -- <dir> [--json] [--min-wellformed 0.98] [--timeout ms] [--in-process]
 *
 * Prints what happened to every feed file under <dir> (see conformance.ts for what is counted). With
 * --min-wellformed it exits 1 when the wellformed ratio is below the bar, or on any crash or sanitize
 * failure. Started with --child it is the worker process that runConformance forks.
 */
import { formatSummary, runConformance, serveChild } from './conformance.ts';

interface Args {
  dir: string | null;
  json: boolean;
  minWellformed: number | null;
  timeoutMs: number | undefined;
  inProcess: boolean;
}

function parseArgs(argv: string[]): Args {
  const args: Args = { dir: null, json: false, minWellformed: null, timeoutMs: undefined, inProcess: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--json') args.json = true;
    else if (a === '--in-process') args.inProcess = true;
    else if (a === '--min-wellformed') args.minWellformed = Number(argv[++i]);
    else if (a === '--timeout') args.timeoutMs = Number(argv[++i]);
    else if (!a.startsWith('--')) args.dir = a;
    else throw new Error(`unknown option ${a}`);
  }
  if (args.minWellformed !== null && !(args.minWellformed >= 0 && args.minWellformed <= 1)) {
    throw new Error('--min-wellformed takes a ratio between 0 and 1, e.g. 0.98');
  }
  return args;
}

async function main(): Promise<number> {
  if (process.argv.includes('--child')) {
    serveChild();
    return -1;
  }
  let args: Args;
  try {
    args = parseArgs(process.argv.slice(2));
  } catch (err) {
    process.stderr.write(`${(err as Error).message}\n`);
    return 2;
  }
  if (!args.dir) {
    process.stderr.write('usage: npm run conformance -- <dir> [--json] [--min-wellformed 0.98] [--timeout ms] [--in-process]\n');
    return 2;
  }
  const result = await runConformance(args.dir, { timeoutMs: args.timeoutMs, isolate: !args.inProcess });
  process.stdout.write(args.json ? `${JSON.stringify(result, null, 2)}\n` : `${formatSummary(result)}\n`);
  if (args.minWellformed === null) return 0;
  const failed = result.wellformed.ratio < args.minWellformed || result.crashes > 0 || result.sanitizeFailures > 0;
  return failed ? 1 : 0;
}

const code = await main();
if (code >= 0) process.exitCode = code;
