/** `frontera eval [--json]`: the engine against the project's labelled set; exit 1 below the gates. */
import type { Logger } from '../log.ts';
import { GATES, runEval } from '../newsroom/eval.ts';
import { loadBeat } from '../newsroom/setup.ts';
import type { Out } from './output.ts';

/** Runs the evaluation and prints it; returns the exit status. */
export async function runEvalCommand(logger: Logger, opts: { json: boolean; dir?: string }, out: Out): Promise<number> {
  const { pack, examples } = loadBeat();
  const r = await runEval({ dir: opts.dir, pack, examples, logger });
  if (opts.json) {
    out.line(JSON.stringify(r));
  } else {
    const pct = (n: number) => `${(n * 100).toFixed(1)}%`;
    out.line(`Evaluation set: ${r.items} items`);
    out.line(`  relevance    precision ${pct(r.relevance.precision)}  recall ${pct(r.relevance.recall)}  F1 ${pct(r.relevance.f1)}   (gates: P >= ${pct(GATES.relevancePrecision)}, R >= ${pct(GATES.relevanceRecall)})`);
    out.line(`  stories      B-cubed precision ${pct(r.clustering.precision)}  recall ${pct(r.clustering.recall)}  F1 ${pct(r.clustering.f1)}   (${r.clustering.predictedStories} predicted for ${r.clustering.goldStories} labelled; gate F1 >= ${pct(GATES.bcubedF1)})`);
    out.line(`  duplicates   precision ${pct(r.duplicates.precision)}  recall ${pct(r.duplicates.recall)}   (${r.duplicates.predicted} found, ${r.duplicates.gold} labelled)`);
    out.line(`  summaries    key-fact recall ${pct(r.summaries.keyFactRecall)} (${r.summaries.found}/${r.summaries.facts})`);
    for (const t of r.misses.falsePositives) out.line(`  false positive: ${t}`);
    for (const t of r.misses.falseNegatives) out.line(`  missed: ${t}`);
    out.line(r.passed ? 'PASS' : 'FAIL: below the gates');
  }
  return r.passed ? 0 : 1;
}
