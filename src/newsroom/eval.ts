/**
 * `frontera eval`: runs the engine over the project's labelled evaluation set in a fresh in-memory
 * database and scores relevance, story clustering (B-cubed), duplicates and summary key facts.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import YAML from 'yaml';
import { storeFeedDocument } from '../feeds/ingest.ts';
import type { BeatPack } from '../kb/pack.ts';
import type { Logger } from '../log.ts';
import { openDb } from '../store/db.ts';
import { createStores } from '../store/index.ts';
import { migrate } from '../store/migrate.ts';
import { createEngine, type Analysis } from './engine.ts';
import type { Example } from './relevance.ts';
import { fold } from './text.ts';

export const DEFAULT_EVAL_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../eval/us-mexico-security');

/** The project's gates: `.ci/run` fails below these. */
export const GATES = { relevancePrecision: 0.9, relevanceRecall: 0.85, bcubedF1: 0.85 };

interface LabelItem { feed: string; guid: string; relevant: boolean; story: string | null; duplicate_of: { feed: string; guid: string } | null }
interface LabelStory { key: string; title: string; key_facts: string[][] }

export interface EvalReport {
  items: number;
  relevance: { precision: number; recall: number; f1: number; tp: number; fp: number; fn: number };
  clustering: { precision: number; recall: number; f1: number; goldStories: number; predictedStories: number };
  duplicates: { precision: number; recall: number; gold: number; predicted: number };
  summaries: { keyFactRecall: number; facts: number; found: number };
  misses: { falsePositives: string[]; falseNegatives: string[] };
  passed: boolean;
}

const ratio = (a: number, b: number) => (b === 0 ? 1 : a / b);
const f1 = (p: number, r: number) => (p + r === 0 ? 0 : (2 * p * r) / (p + r));
const r3 = (n: number) => Math.round(n * 1000) / 1000;

/** Runs the evaluation; `dir` holds labels.yaml and feeds/. */
export async function runEval(opts: { dir?: string; pack: BeatPack; examples: Example[]; logger: Logger }): Promise<EvalReport> {
  const dir = opts.dir ?? DEFAULT_EVAL_DIR;
  const labels = YAML.parse(fs.readFileSync(path.join(dir, 'labels.yaml'), 'utf8')) as { items: LabelItem[]; stories: LabelStory[] };
  const db = await openDb({ memory: true });
  try {
    await migrate(db);
    const stores = createStores(db);
    const engine = createEngine({ newsroom: stores.newsroom, pack: opts.pack, examples: opts.examples, logger: opts.logger });

    const idOf = new Map<string, string>();
    const titleOf = new Map<string, string>();
    const key = (feed: string, guid: string) => `${feed}#${guid}`;
    for (const feed of [...new Set(labels.items.map((i) => i.feed))]) {
      const bytes = fs.readFileSync(path.join(dir, feed));
      const { items } = await storeFeedDocument(stores.articles, {
        bytes: new Uint8Array(bytes), url: `https://eval.invalid/${feed}`, feedId: null, sourceKey: `eval:${feed}`,
        source: feed, baseline: false, seenAt: new Date(),
      });
      for (const it of items) {
        idOf.set(key(feed, it.article.guid ?? ''), it.id);
        titleOf.set(it.id, it.article.title);
      }
    }
    const ids = labels.items.map((i) => idOf.get(key(i.feed, i.guid))).filter((x): x is string => !!x);
    const analyses = new Map<string, Analysis>((await engine.process(ids)).map((a) => [a.id, a]));
    const gold = labels.items
      .map((i) => ({ ...i, id: idOf.get(key(i.feed, i.guid)) }))
      .filter((i): i is LabelItem & { id: string } => !!i.id && analyses.has(i.id));

    // Relevance.
    let tp = 0, fp = 0, fn = 0;
    const falsePositives: string[] = [];
    const falseNegatives: string[] = [];
    for (const g of gold) {
      const p = analyses.get(g.id)!.relevant;
      if (p && g.relevant) tp++;
      else if (p && !g.relevant) { fp++; falsePositives.push(titleOf.get(g.id)!); }
      else if (!p && g.relevant) { fn++; falseNegatives.push(titleOf.get(g.id)!); }
    }
    const precision = ratio(tp, tp + fp);
    const recall = ratio(tp, tp + fn);

    // B-cubed over the gold-relevant items; an item the engine left out of every story is its own cluster.
    const rel = gold.filter((g) => g.relevant && g.story);
    const predicted = (g: { id: string }) => analyses.get(g.id)!.story ?? `alone:${g.id}`;
    let bp = 0, br = 0;
    for (const g of rel) {
      const samePred = rel.filter((o) => predicted(o) === predicted(g));
      const sameGold = rel.filter((o) => o.story === g.story);
      bp += samePred.filter((o) => o.story === g.story).length / samePred.length;
      br += sameGold.filter((o) => predicted(o) === predicted(g)).length / sameGold.length;
    }
    const cp = ratio(bp, rel.length);
    const cr = ratio(br, rel.length);

    // Duplicates: a predicted duplicate is right when it points at the labelled original (or at another copy of it).
    const origin = (id: string): string => {
      const g = gold.find((x) => x.id === id);
      return g?.duplicate_of ? idOf.get(key(g.duplicate_of.feed, g.duplicate_of.guid)) ?? id : id;
    };
    const goldDup = gold.filter((g) => g.duplicate_of);
    const predDup = gold.filter((g) => analyses.get(g.id)!.duplicateOf);
    const dupRight = predDup.filter((g) => g.duplicate_of && origin(analyses.get(g.id)!.duplicateOf!) === origin(g.id)).length;

    // Summary key facts: each gold story is matched to the predicted story holding most of its items.
    const stored = new Map((await stores.newsroom.stories([...new Set([...analyses.values()].map((a) => a.story).filter((s): s is string => !!s))])).map((s) => [s.id, s]));
    let facts = 0, found = 0;
    for (const s of labels.stories) {
      const members = rel.filter((g) => g.story === s.key).map((g) => analyses.get(g.id)!.story).filter((x): x is string => !!x);
      const counts = new Map<string, number>();
      for (const m of members) counts.set(m, (counts.get(m) ?? 0) + 1);
      const best = [...counts.entries()].sort((a, b) => b[1] - a[1])[0]?.[0];
      const story = best ? stored.get(best) : undefined;
      const text = fold([story?.headline ?? '', ...(story?.summary ?? []).map((b) => b.text), story?.quote?.text ?? ''].join(' '));
      for (const alternatives of s.key_facts) {
        facts++;
        if (alternatives.some((alt) => text.includes(fold(String(alt))))) found++;
      }
    }

    const report: EvalReport = {
      items: gold.length,
      relevance: { precision: r3(precision), recall: r3(recall), f1: r3(f1(precision, recall)), tp, fp, fn },
      clustering: { precision: r3(cp), recall: r3(cr), f1: r3(f1(cp, cr)), goldStories: new Set(rel.map((g) => g.story)).size, predictedStories: new Set(rel.map(predicted)).size },
      duplicates: { precision: r3(ratio(dupRight, predDup.length)), recall: r3(ratio(dupRight, goldDup.length)), gold: goldDup.length, predicted: predDup.length },
      summaries: { keyFactRecall: r3(ratio(found, facts)), facts, found },
      misses: { falsePositives, falseNegatives },
      passed: false,
    };
    report.passed = precision >= GATES.relevancePrecision && recall >= GATES.relevanceRecall && report.clustering.f1 >= GATES.bcubedF1;
    return report;
  } finally {
    await db.close();
  }
}
