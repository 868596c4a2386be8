import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

// The labelled relevance examples that the classifier trains on at start (see docs: "Newsroom engine").
const path = new URL('../../beats/us-mexico-security/examples.jsonl', import.meta.url);
const raw = readFileSync(path, 'utf8');
// One JSON object per line; a single trailing newline is allowed, blank lines inside are not.
const lines = raw.endsWith('\n') ? raw.slice(0, -1).split('\n') : raw.split('\n');

interface Example {
  id: string;
  lang: 'en' | 'es';
  title: string;
  summary: string;
  label: 0 | 1;
  kind: 'core' | 'implicit' | 'hard' | 'easy';
  note?: string;
}

const ALLOWED_KEYS = new Set(['id', 'lang', 'title', 'summary', 'label', 'kind', 'note']);

function parseLine(line: string, index: number): Example {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch (error) {
    throw new Error(`line ${index + 1} is not valid JSON: ${(error as Error).message}`);
  }
  return value as Example;
}

const examples = lines.map(parseLine);

function count(predicate: (e: Example) => boolean): number {
  return examples.filter(predicate).length;
}

describe('beats/us-mexico-security/examples.jsonl', () => {
  it('has at least 460 lines, none blank', () => {
    expect(lines.length).toBeGreaterThanOrEqual(460);
    lines.forEach((line, i) => expect(line.trim(), `line ${i + 1} is blank`).not.toBe(''));
  });

  it('holds one JSON object per line with the expected fields and types', () => {
    examples.forEach((e, i) => {
      const where = `line ${i + 1}`;
      expect(typeof e === 'object' && e !== null && !Array.isArray(e), `${where} is not an object`).toBe(true);
      for (const key of Object.keys(e)) expect(ALLOWED_KEYS.has(key), `${where}: unexpected key "${key}"`).toBe(true);
      expect(e.id, where).toMatch(/^ex-\d{4,}$/);
      expect(['en', 'es'], `${where}: lang`).toContain(e.lang);
      expect(typeof e.title, `${where}: title`).toBe('string');
      expect(e.title.trim().length, `${where}: empty title`).toBeGreaterThan(0);
      expect(typeof e.summary, `${where}: summary`).toBe('string');
      expect(e.summary.trim().length, `${where}: empty summary`).toBeGreaterThan(0);
      expect([0, 1], `${where}: label`).toContain(e.label);
      if (e.label === 1) expect(['core', 'implicit'], `${where}: kind of a positive`).toContain(e.kind);
      else expect(['hard', 'easy'], `${where}: kind of a negative`).toContain(e.kind);
      if (e.note !== undefined) expect(typeof e.note, `${where}: note`).toBe('string');
    });
  });

  it('has unique ids, numbered in sequence', () => {
    const ids = examples.map((e) => e.id);
    expect(new Set(ids).size).toBe(ids.length);
    ids.forEach((id, i) => expect(id).toBe(`ex-${String(i + 1).padStart(4, '0')}`));
  });

  it('has no two examples with the same title', () => {
    const seen = new Map<string, string>();
    const duplicates: string[] = [];
    for (const e of examples) {
      const key = e.title.trim().toLowerCase();
      const first = seen.get(key);
      if (first) duplicates.push(`${first} and ${e.id}: ${e.title}`);
      else seen.set(key, e.id);
    }
    expect(duplicates).toEqual([]);
  });

  it('has at least 200 examples in each language', () => {
    expect(count((e) => e.lang === 'en')).toBeGreaterThanOrEqual(200);
    expect(count((e) => e.lang === 'es')).toBeGreaterThanOrEqual(200);
  });

  it('has at least 60 implicit positives and 160 hard negatives', () => {
    expect(count((e) => e.label === 1 && e.kind === 'implicit')).toBeGreaterThanOrEqual(60);
    expect(count((e) => e.label === 0 && e.kind === 'hard')).toBeGreaterThanOrEqual(160);
  });

  it('keeps positives near 45% of the set', () => {
    const share = count((e) => e.label === 1) / examples.length;
    expect(share).toBeGreaterThan(0.4);
    expect(share).toBeLessThan(0.5);
  });

  it('never names Mexico in an implicit positive', () => {
    const offenders = examples
      .filter((e) => e.kind === 'implicit' && /m[eé]xic/i.test(`${e.title} ${e.summary}`))
      .map((e) => e.id);
    expect(offenders).toEqual([]);
  });
});
