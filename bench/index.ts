/**
 * `npm run bench`: every benchmark, printed with its target. Figures go into BENCHMARKS.md by hand,
 * with the machine they ran on. `npm run bench -- ingest` runs one group.
 */
import os from 'node:os';
import { report, type BenchResult } from './lib.ts';

// Each group's modules are loaded when the group runs: `npm run bench -- pipeline` used to load Bolt,
// discord.js and every other group's code first, and the engine then ran 15 to 25% slower in that process
// (its string scanning twice as slow in the profile; the garbage collector's share was the same).
const groups: Record<string, () => Promise<BenchResult[]>> = {
  ingest: async () => {
    const [{ benchParseStore }, { benchPollCycles }] = await Promise.all([import('./ingest.ts'), import('./poll.ts')]);
    return [await benchParseStore(), ...(await benchPollCycles())];
  },
  pipeline: async () => {
    const { benchPipeline, benchScaling } = await import('./pipeline.ts');
    return [await benchPipeline(), await benchScaling()];
  },
  commands: async () => (await import('./commands.ts')).benchCommands(),
  chat: async () => {
    const { benchAlertLatency, benchSlashAck } = await import('./chat.ts');
    return [await benchAlertLatency(), await benchSlashAck()];
  },
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
