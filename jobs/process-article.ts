/**
 * process-article: runs the newsroom engine over newly stored articles (relevance, actors, quotes,
 * duplicates, stories, summaries). Articles keep `processed_at` null until this job has handled them,
 * and the scheduler's sweep re-enqueues any left behind, so a lost hand-off is picked up later.
 * The engine keeps in-memory indexes, so this job runs with concurrency 1 in one process.
 */
import { z } from 'zod';
import type { Analysis, Engine } from '../src/newsroom/engine.ts';
import type { JobDefinition } from './types.ts';

export interface ProcessArticleDeps {
  engine: Engine;
  /** Called with what the engine decided (the publish stage hooks in here). */
  analysed?(analyses: Analysis[]): Promise<void>;
}

export const processArticlePayload = z.object({ articleIds: z.array(z.string().regex(/^[0-9a-f]{16}$/)).min(1).max(5000) });
export type ProcessArticlePayload = z.infer<typeof processArticlePayload>;

/** Analyses a batch of articles. */
export async function processArticles(deps: ProcessArticleDeps, payload: ProcessArticlePayload): Promise<Analysis[]> {
  const analyses = await deps.engine.process(payload.articleIds);
  await deps.analysed?.(analyses);
  return analyses;
}

export const processArticleJob: JobDefinition<ProcessArticleDeps, ProcessArticlePayload, Analysis[]> = {
  name: 'process-article',
  payload: processArticlePayload,
  concurrency: 1,
  attempts: 3,
  process: processArticles,
};
