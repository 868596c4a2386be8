/** Loads what the engine is built from: the beat pack and its labelled examples. */
import fs from 'node:fs';
import path from 'node:path';
import { defaultPackDir, loadBeatPack, type BeatPack } from '../kb/pack.ts';
import { FronteraError } from '../errors.ts';
import type { Logger } from '../log.ts';
import { createEngine, type Engine, type LlmConfig } from './engine.ts';
import type { NewsroomStore } from '../store/newsroom.ts';
import type { Example } from './relevance.ts';

/** Reads examples.jsonl beside the pack; a bad line is an error naming the file and line. */
export function loadExamples(dir: string): Example[] {
  const file = path.join(dir, 'examples.jsonl');
  const out: Example[] = [];
  fs.readFileSync(file, 'utf8').split('\n').forEach((line, i) => {
    if (!line.trim()) return;
    try {
      const e = JSON.parse(line) as Example;
      if (typeof e.title !== 'string' || (e.label !== 0 && e.label !== 1)) throw new Error('needs title and label 0|1');
      out.push(e);
    } catch (err) {
      throw new FronteraError('beat_pack', `${file}:${i + 1}: ${(err as Error).message}`);
    }
  });
  return out;
}

/** The pack and examples of the default beat (or `dir`). */
export function loadBeat(dir = defaultPackDir()): { pack: BeatPack; examples: Example[] } {
  return { pack: loadBeatPack(dir), examples: loadExamples(dir) };
}

/** Builds the engine over a store: trains the relevance model (about a second). */
export function buildEngine(newsroom: NewsroomStore, logger: Logger, llm: LlmConfig | null = null, dir?: string): Engine {
  const { pack, examples } = loadBeat(dir);
  return createEngine({ newsroom, pack, examples, logger, llm });
}
