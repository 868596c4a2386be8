/**
 * `npm run bench`: every benchmark, printed with its target. Figures go into BENCHMARKS.md by hand,
 * with the machine they ran on. `npm run bench -- ingest` runs one group.
 */
import os from 'node:os';
import { benchParseStore } from './ingest.ts';
import { benchPollCycles } from './poll.ts';
import { benchPipeline, benchScaling } from './pipeline.ts';
import { benchCommands } from './commands.ts';
import { report, type BenchResult } from './lib.ts';
import { benchAlertLatency, benchSlashAck } from './chat.ts';

const groups: Record<string, () => Promise<BenchResult[]>> = {
  ingest: async () => [await benchParseStore(), ...(await benchPollCycles())],
  pipeline: async () => [await benchPipeline(), await benchScaling()],
  commands: benchCommands,
  chat: async () => [await benchAlertLatency(), await benchSlashAck()],
};

const wanted = process.argv.slice(2).filter((a) => !a.startsWith('-'));
console.log(`frontera benchmarks · node ${process.version} · ${os.cpus().length} cores · ${Math.round(os.totalmem() / 2 ** 30)} GiB`);
let missed = 0;
for (const [name, run] of Object.entries(groups)) {
  if (wanted.length && !wanted.includes(name)) continue;
  for (const r of await run()) {
    report(r);
    if (!r.pass) missed++;
  }
}
process.exit(missed > 0 ? 1 : 0);
