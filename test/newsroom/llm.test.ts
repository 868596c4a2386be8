import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { abstractiveSummary, parseBullets, unsupportedFacts } from '../../src/newsroom/llm.ts';
import { summarizeStory, type SummaryArticle } from '../../src/newsroom/summarize.ts';
import { fold } from '../../src/newsroom/text.ts';
import { startFakeLlm, type FakeLlm } from '../fakes/llm-server.ts';

// Every text here is written for these tests; the events are invented.

const T0 = Date.parse('2026-04-02T09:00:00Z');
const articles: SummaryArticle[] = [
  {
    id: 'a1',
    source: 'Northwire',
    url: 'https://example.test/a1',
    publishedAt: new Date(T0),
    language: 'en',
    title: 'U.S. sanctions 252 firms tied to Sinaloa cartel money',
    actors: ['us-treasury', 'sinaloa-cartel'],
    text:
      'WASHINGTON (Northwire) — The Treasury Department sanctioned 252 companies it said laundered money for the Sinaloa cartel, freezing $15 million in U.S. accounts. ' +
      'Treasury Secretary Laura Menéndez said the firms moved fentanyl profits through currency exchanges in Culiacán and Tijuana. ' +
      'Mexican officials said they would review the list before acting on it.',
  },
  {
    id: 'a2',
    source: 'Diario del Norte',
    url: 'https://example.test/a2',
    publishedAt: new Date(T0 + 20 * 60_000),
    language: 'es',
    title: 'EE.UU. sanciona a 252 empresas ligadas al Cártel de Sinaloa',
    actors: ['us-treasury', 'sinaloa-cartel'],
    text:
      'El Departamento del Tesoro sancionó a 252 empresas por lavar dinero del Cártel de Sinaloa. ' +
      'La Unidad de Inteligencia Financiera de México dijo que revisará a 37 de ellas esta semana.',
  },
];
const NAMES: Record<string, string> = { 'us-treasury': 'Treasury Department', 'sinaloa-cartel': 'Sinaloa cartel' };
const summary = summarizeStory(articles, { actorNames: (id) => NAMES[id] });
const story = { ...summary, articles };

let llm: FakeLlm;
beforeAll(async () => {
  llm = await startFakeLlm('good');
});
afterAll(async () => {
  await llm.close();
});

// Generous, so a loaded machine never turns an answer into a time-out; the slow test sets its own.
const cfg = (timeoutMs = 5_000) => ({ baseUrl: llm.baseUrl, apiKey: 'sk-test-123', model: 'fake-model-1', timeoutMs });

describe('abstractiveSummary against the fake endpoint', () => {
  it('good: uses the model bullets, sends the model, temperature 0 and a bearer token', async () => {
    llm.mode = 'good';
    const n = llm.requests.length;
    const out = await abstractiveSummary(story, cfg());
    expect(out.problems).toEqual([]);
    expect(out.usedLlm).toBe(true);
    expect(out.bullets.length).toBeGreaterThanOrEqual(2);
    expect(out.bullets.length).toBeLessThanOrEqual(3);
    for (const b of out.bullets) {
      expect(b.source).toBe('llm');
      expect(b.text.split(/\s+/).length).toBeLessThanOrEqual(35);
      expect(b.articleId).toMatch(/^a[12]$/);
    }
    const req = llm.requests[n]!;
    expect(req.method).toBe('POST');
    expect(req.path).toBe('/v1/chat/completions');
    expect(req.headers.authorization).toBe('Bearer sk-test-123');
    expect(req.json?.model).toBe('fake-model-1');
    expect(req.json?.temperature).toBe(0);
    const prompt = req.json!.messages!.map((m) => m.content).join('\n');
    expect(prompt).toMatch(/at most 35 words/);
    expect(prompt).toMatch(/only facts/i);
    expect(prompt).toMatch(/English/);
    expect(prompt).toContain(summary.bullets[0]!.text.replace(/…$/, ''));
  });

  it('sends no Authorization header without an API key', async () => {
    llm.mode = 'good';
    const n = llm.requests.length;
    await abstractiveSummary(story, { ...cfg(), apiKey: null });
    expect(llm.requests[n]!.headers.authorization).toBeUndefined();
  });

  it('hallucinate: the bullet with an unsupported number and name falls back to the extractive one', async () => {
    llm.mode = 'hallucinate';
    const out = await abstractiveSummary(story, cfg());
    expect(out.usedLlm).toBe(true);
    expect(out.bullets[0]!.source).toBe('llm');
    expect(out.bullets[1]).toEqual({ ...summary.bullets[1]!, source: 'extractive' });
    expect(out.bullets.map((b) => b.text).join(' ')).not.toMatch(/412|Urquidi/);
    expect(out.problems.join('\n')).toMatch(/bullet 2 replaced: number 412; name .*Tomás Urquidi/);
  });

  it('slow: falls back within the timeout', async () => {
    llm.mode = 'slow';
    const t = Date.now();
    const out = await abstractiveSummary(story, cfg(300));
    // It waited for the time-out (the fake never answers); that it gave up is the reply below.
    expect(Date.now() - t).toBeGreaterThanOrEqual(250);
    expect(out.usedLlm).toBe(false);
    expect(out.bullets).toEqual(summary.bullets.map((b) => ({ ...b, source: 'extractive' })));
    expect(out.problems).toEqual(['llm timeout after 300 ms']);
  });

  it.each([
    ['garbage', /not JSON/],
    ['truncated', /not JSON/],
    ['empty', /empty/],
    ['500', /http 500/],
  ] as const)('%s: falls back to the extractive bullets with a problem', async (mode, problem) => {
    llm.mode = mode;
    const out = await abstractiveSummary(story, cfg());
    expect(out.usedLlm).toBe(false);
    expect(out.bullets.every((b) => b.source === 'extractive')).toBe(true);
    expect(out.bullets.map((b) => b.text)).toEqual(summary.bullets.map((b) => b.text));
    expect(out.problems).toHaveLength(1);
    expect(out.problems[0]).toMatch(problem);
    expect(out.problems[0]).not.toContain('sk-test-123');
  });

  it('an unreachable endpoint never throws', async () => {
    const out = await abstractiveSummary(story, { ...cfg(), baseUrl: 'http://127.0.0.1:1' });
    expect(out.usedLlm).toBe(false);
    expect(out.problems[0]).toMatch(/llm request failed/);
  });
});

describe('fact check', () => {
  it('numbers must be in the sources, whatever their format', () => {
    expect(unsupportedFacts('Treasury froze $15 million across 252 firms.', articles)).toEqual([]);
    expect(unsupportedFacts('México revisará 37 empresas.', articles)).toEqual([]);
    expect(unsupportedFacts('Treasury froze $16 million.', articles)).toEqual(['number 16']);
    expect(unsupportedFacts('The list has 2,520 firms.', articles)).toEqual(['number 2520']);
  });

  it('names must be in the sources, folded; titles may be added; invented pairs fail', () => {
    expect(unsupportedFacts('Funds moved through Culiacan and TIJUANA, said Laura Menendez.', articles)).toEqual([]);
    expect(unsupportedFacts('U.S. Treasury Secretary Laura Menéndez targeted the Sinaloa cartel.', articles)).toEqual([]);
    expect(unsupportedFacts('El Cártel de Sinaloa lavó dinero, según el Tesoro.', articles)).toEqual([]);
    expect(unsupportedFacts('Funds moved through Monterrey, officials said.', articles)).toEqual(['name Monterrey']);
    expect(unsupportedFacts('The order was signed by Laura Tijuana.', articles)).toEqual(['name Laura Tijuana']);
    expect(unsupportedFacts('Ovidio Guzmán Lopez was named.', articles)).toEqual(['name Ovidio Guzmán Lopez']);
    expect(unsupportedFacts('CJNG firms were also listed.', articles)).toEqual(['name CJNG']);
    expect(unsupportedFacts('The move hurts the cartel of El Mayo.', articles, ['El Mayo'])).toContain('name El Mayo');
  });

  it('parses JSON, fenced JSON and bullet lines; rejects prose', () => {
    expect(parseBullets('{"bullets":["One.","Two."]}')).toEqual(['One.', 'Two.']);
    expect(parseBullets('```json\n["One.", {"text":"Two."}]\n```')).toEqual(['One.', 'Two.']);
    expect(parseBullets('- One.\n- Two.')).toEqual(['One.', 'Two.']);
    expect(parseBullets('{"bullets": "x"}')).toBeNull();
    expect(parseBullets('I cannot help with that.')).toBeNull();
  });

  it('fold is the comparison used for names', () => {
    expect(fold('Menéndez')).toBe('menendez');
  });
});
