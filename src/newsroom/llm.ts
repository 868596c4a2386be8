/**
 * Optional abstractive summaries through any OpenAI-compatible endpoint (LLM_BASE_URL, LLM_API_KEY,
 * LLM_MODEL), checked against the sources so that a model can rephrase but never add facts.
 *
 * The request: POST {baseUrl}/chat/completions, temperature 0, with numbered sentences taken from the
 * story's reports (usable sentences only, the extractive bullets included) and instructions to write 2 or 3
 * bullets of at most 35 words, in the story's language, using only facts from those sentences, answering
 * with JSON {"bullets": ["...", ...]}.
 *
 * The check, per returned bullet (each of its sentences):
 * - every number (digits, "37", "$15 million" -> 15, "1,200" -> 1200; written 10-99 too) must occur among
 *   the numbers of the source texts (titles and bodies of every article);
 * - every proper name must occur in the source texts, compared folded (accents and case): a capitalised
 *   word sequence not at sentence start ("Omar García Harfuch", "Cártel de Jalisco"), a sequence of two or
 *   more capitalised words or an acronym at sentence start, and any of `cfg.knownNames` wherever it
 *   appears. A name passes when the whole sequence is in the sources, or when each of its words is
 *   (plural-insensitive) and each adjacent pair of name words is adjacent in the sources — titles and
 *   demonyms ("President", "Mexican") may pair freely, so "Mexican Security Secretary Omar García Harfuch"
 *   passes on "Omar García Harfuch", but "Omar Pérez" does not pass on "Omar García" + "Ana Pérez".
 * - at most 35 words.
 * A bullet that fails is replaced by the extractive bullet in the same position (or dropped when there is
 * none). A timeout (default 8 s), an HTTP error, a body that is not the expected JSON, or no usable bullet
 * falls back to the extractive bullets entirely. Problems are reported as strings; the function never
 * throws and never reports the API key.
 */
import { STOPWORDS, stem } from './relevance-text.ts';
import type { StorySummary, SummaryArticle } from './summarize.ts';
import { junkReason, MAX_BULLET_WORDS, numberKeys, properNameSpans, sentenceKey, stripDateline, wordCount } from './summarize-text.ts';
import { splitSentences, tokenize } from './text.ts';

export interface LlmConfig {
  baseUrl: string;
  apiKey: string | null;
  model: string;
  /** Whole request, body included; default 8000 ms. */
  timeoutMs?: number;
  /** Names (e.g. every pack actor's name and aliases) checked wherever they appear in a bullet. */
  knownNames?: string[];
}

export interface AbstractiveBullet {
  text: string;
  articleId: string | null;
  source: 'llm' | 'extractive';
}

export interface AbstractiveResult {
  bullets: AbstractiveBullet[];
  usedLlm: boolean;
  problems: string[];
}

export const DEFAULT_LLM_TIMEOUT_MS = 8000;
const MAX_PROMPT_SENTENCES = 30;
const PER_ARTICLE = 6;
const MAX_RESPONSE_CHARS = 1_000_000;

/** Words that describe rather than name: they may sit next to any name word. */
const DESCRIPTORS = new Set([
  'mexican', 'mexicans', 'american', 'us', 'usa', 'president', 'presidenta', 'presidente', 'secretary', 'secretario',
  'secretaria', 'general', 'gen', 'gral', 'navy', 'army', 'attorney', 'governor', 'gobernador', 'gobernadora',
  'senator', 'senador', 'senadora', 'former', 'federal', 'national', 'security', 'seguridad', 'state', 'department',
  'chief', 'minister', 'ministro', 'deputy', 'foreign', 'defense', 'defensa', 'justice', 'treasury', 'homeland',
  'ambassador', 'embajador', 'mr', 'mrs', 'ms', 'dr', 'sr', 'sra', 'lic', 'the', 'el', 'la', 'los', 'las',
  'mexico', 'mexicano', 'mexicana', 'estadounidense', 'united', 'states', 'on', 'in', 'monday', 'tuesday',
  'wednesday', 'thursday', 'friday', 'saturday', 'sunday', 'lunes', 'martes', 'miercoles', 'jueves', 'viernes',
  'sabado', 'domingo', 'but', 'and', 'y', 'pero', 'after', 'tras', 'when', 'cuando',
]);
const CONNECTORS = new Set(['de', 'del', 'la', 'las', 'los', 'y', 'of', 'the', 'for', 'da', 'do', 'van', 'von', 'al', 'bin']);

interface SourceIndex {
  numbers: Set<string>;
  tokens: Set<string>;
  stems: Set<string>;
  bigrams: Set<string>;
  joined: string;
}

function indexSources(articles: SummaryArticle[]): SourceIndex {
  const numbers = new Set<string>();
  const tokens = new Set<string>();
  const stems = new Set<string>();
  const bigrams = new Set<string>();
  const parts: string[] = [];
  for (const a of articles) {
    for (const text of [a.title, a.text]) {
      for (const n of numberKeys(text)) numbers.add(n);
      const toks = tokenize(text);
      for (let i = 0; i < toks.length; i++) {
        tokens.add(toks[i]!);
        stems.add(stem(toks[i]!));
        if (i + 1 < toks.length) bigrams.add(`${toks[i]} ${toks[i + 1]}`);
      }
      parts.push(toks.join(' '));
    }
  }
  return { numbers, tokens, stems, bigrams, joined: ` ${parts.join(' | ')} ` };
}

function nameSupported(words: string[], src: SourceIndex): boolean {
  if (words.length === 0) return true;
  if (src.joined.includes(` ${words.join(' ')} `)) return true;
  for (const w of words) {
    if (CONNECTORS.has(w)) continue;
    if (!src.tokens.has(w) && !src.stems.has(stem(w))) return false;
  }
  for (let k = 0; k + 1 < words.length; k++) {
    const a = words[k]!;
    const b = words[k + 1]!;
    if (CONNECTORS.has(a) || CONNECTORS.has(b) || DESCRIPTORS.has(a) || DESCRIPTORS.has(b)) continue;
    if (!src.bigrams.has(`${a} ${b}`)) return false;
  }
  return true;
}

/** Why a bullet is not supported by the sources, or [] when it is. */
export function unsupportedFacts(bullet: string, articles: SummaryArticle[], knownNames: string[] = [], src = indexSources(articles)): string[] {
  const out: string[] = [];
  for (const n of numberKeys(bullet)) if (!src.numbers.has(n)) out.push(`number ${n}`);
  const sentences = splitSentences(bullet).map((s) => s.text);
  for (const s of sentences.length ? sentences : [bullet]) {
    for (const span of properNameSpans(s)) {
      let words = span.words;
      if (span.atStart) {
        const caps = words.filter((w) => !CONNECTORS.has(w));
        const acronym = /^[\p{Lu}\d]{2,}$/u.test(span.surface.replace(/[.\s]/g, ''));
        if (caps.length >= 2) words = words.slice(1);
        else if (!acronym) continue;
        while (words.length && (CONNECTORS.has(words[0]!) || DESCRIPTORS.has(words[0]!))) words = words.slice(1);
        if (words.length === 0) continue;
      }
      if (words.every((w) => STOPWORDS.has(w) && !/^\p{Lu}{2,}$/u.test(w))) continue;
      if (!nameSupported(words, src)) out.push(`name ${span.surface}`);
    }
  }
  const folded = ` ${tokenize(bullet).join(' ')} `;
  for (const name of knownNames) {
    const k = tokenize(name).join(' ');
    if (k.length >= 3 && folded.includes(` ${k} `) && !src.joined.includes(` ${k} `)) out.push(`name ${name}`);
  }
  return [...new Set(out)];
}

interface PromptSentence {
  n: number;
  text: string;
  articleId: string;
  tokens: Set<string>;
}

function promptSentences(story: StorySummary & { articles: SummaryArticle[] }): PromptSentence[] {
  const out: PromptSentence[] = [];
  const seen = new Set<string>();
  const add = (text: string, articleId: string) => {
    const key = sentenceKey(text);
    if (seen.has(key) || out.length >= MAX_PROMPT_SENTENCES) return;
    seen.add(key);
    out.push({ n: out.length + 1, text, articleId, tokens: new Set(tokenize(text).filter((w) => !STOPWORDS.has(w))) });
  };
  for (const b of story.bullets) add(b.text.replace(/…$/, ''), b.articleId);
  const articles = [...story.articles].sort((a, b) => a.publishedAt.getTime() - b.publishedAt.getTime());
  for (const a of articles) {
    let k = 0;
    for (const s of splitSentences(a.text)) {
      if (k >= PER_ARTICLE) break;
      const text = stripDateline(s.text.replace(/\s+/g, ' ').trim());
      if (junkReason(text)) continue;
      add(text, a.id);
      k++;
    }
  }
  return out;
}

function storyLanguage(articles: SummaryArticle[]): 'en' | 'es' {
  let en = 0;
  let es = 0;
  for (const a of articles) {
    if (a.language === 'en') en++;
    else if (a.language === 'es') es++;
  }
  return es > en ? 'es' : 'en';
}

export function buildPrompt(sentences: PromptSentence[], language: 'en' | 'es'): Array<{ role: 'system' | 'user'; content: string }> {
  const lang = language === 'es' ? 'Spanish' : 'English';
  return [
    {
      role: 'system',
      content:
        'You summarize news reports for an editor. Use only facts stated in the numbered source sentences: ' +
        'do not add names, numbers, dates, places or claims that are not in them. Write 2 or 3 bullets in ' +
        `${lang}, each one sentence of at most ${MAX_BULLET_WORDS} words, naming who did or said what. ` +
        'Answer with JSON only: {"bullets": ["...", "..."]}.',
    },
    {
      role: 'user',
      content: `Language: ${lang}\nSource sentences:\n${sentences.map((s) => `[${s.n}] ${s.text}`).join('\n')}`,
    },
  ];
}

/** Bullets from the model's message content: JSON {"bullets": [...]}, a JSON array, or "- " lines. */
export function parseBullets(content: string): string[] | null {
  let c = content.trim();
  const fence = /^```(?:json)?\s*([\s\S]*?)\s*```$/i.exec(c);
  if (fence) c = fence[1]!.trim();
  const fromList = (list: unknown): string[] | null => {
    if (!Array.isArray(list)) return null;
    const out = list
      .map((x) => (typeof x === 'string' ? x : x && typeof x === 'object' && typeof (x as { text?: unknown }).text === 'string' ? (x as { text: string }).text : ''))
      .map((s) => s.replace(/\s+/g, ' ').trim())
      .filter(Boolean);
    return out.length ? out : null;
  };
  if (c.startsWith('{') || c.startsWith('[')) {
    try {
      const v: unknown = JSON.parse(c);
      return Array.isArray(v) ? fromList(v) : v && typeof v === 'object' ? fromList((v as { bullets?: unknown }).bullets) : null;
    } catch {
      return null;
    }
  }
  const lines = c
    .split('\n')
    .map((l) => /^\s*(?:[-*•]|\d+[.)])\s+(.*\S)\s*$/.exec(l)?.[1])
    .filter((x): x is string => !!x);
  return lines.length ? lines : null;
}

function bestArticle(text: string, sentences: PromptSentence[]): string | null {
  const toks = new Set(tokenize(text).filter((w) => !STOPWORDS.has(w)));
  if (toks.size === 0) return null;
  let best: PromptSentence | null = null;
  let bestScore = 0;
  for (const s of sentences) {
    let inter = 0;
    for (const w of toks) if (s.tokens.has(w)) inter++;
    const score = inter / toks.size;
    if (score > bestScore) {
      bestScore = score;
      best = s;
    }
  }
  return best && bestScore >= 0.3 ? best.articleId : null;
}

function extractive(story: StorySummary): AbstractiveBullet[] {
  return story.bullets.map((b) => ({ text: b.text, articleId: b.articleId, source: 'extractive' as const }));
}

export async function abstractiveSummary(story: StorySummary & { articles: SummaryArticle[] }, cfg: LlmConfig): Promise<AbstractiveResult> {
  const problems: string[] = [];
  const fallback = (problem: string): AbstractiveResult => ({ bullets: extractive(story), usedLlm: false, problems: [...problems, problem] });
  try {
    const sentences = promptSentences(story);
    if (sentences.length === 0) return fallback('no source sentences to summarize');
    const timeoutMs = cfg.timeoutMs ?? DEFAULT_LLM_TIMEOUT_MS;
    const url = `${cfg.baseUrl.replace(/\/+$/, '')}/chat/completions`;
    const headers: Record<string, string> = { 'content-type': 'application/json', accept: 'application/json' };
    if (cfg.apiKey) headers.authorization = `Bearer ${cfg.apiKey}`;
    const body = JSON.stringify({ model: cfg.model, temperature: 0, messages: buildPrompt(sentences, storyLanguage(story.articles)) });

    const ctrl = new AbortController();
    const timer = setTimeout(() => ctrl.abort(), timeoutMs);
    let status = 0;
    let raw = '';
    try {
      const res = await fetch(url, { method: 'POST', headers, body, signal: ctrl.signal, redirect: 'error' });
      status = res.status;
      raw = await res.text();
    } catch (err) {
      if (ctrl.signal.aborted) return fallback(`llm timeout after ${timeoutMs} ms`);
      return fallback(`llm request failed: ${(err as Error)?.message ?? String(err)}`);
    } finally {
      clearTimeout(timer);
    }
    if (status < 200 || status >= 300) return fallback(`llm http ${status}`);
    if (raw.length > MAX_RESPONSE_CHARS) return fallback('llm response too large');
    let json: unknown;
    try {
      json = JSON.parse(raw);
    } catch {
      return fallback('llm response is not JSON');
    }
    const content = (json as { choices?: Array<{ message?: { content?: unknown } }> })?.choices?.[0]?.message?.content;
    if (!Array.isArray((json as { choices?: unknown })?.choices)) return fallback('llm response has no choices');
    if (typeof content !== 'string' || !content.trim()) return fallback('llm response is empty');
    const llmBullets = parseBullets(content);
    if (!llmBullets) return fallback('llm response has no bullets');

    const src = indexSources(story.articles);
    const ext = extractive(story);
    const used = new Set<number>();
    const out: AbstractiveBullet[] = [];
    llmBullets.slice(0, 3).forEach((text, i) => {
      const bad = wordCount(text) > MAX_BULLET_WORDS ? ['too long'] : unsupportedFacts(text, story.articles, cfg.knownNames, src);
      if (bad.length === 0) {
        out.push({ text, articleId: bestArticle(text, sentences), source: 'llm' });
        return;
      }
      problems.push(`llm bullet ${i + 1} replaced: ${bad.join('; ')}`);
      if (i < ext.length && !used.has(i)) {
        used.add(i);
        out.push(ext[i]!);
      }
    });
    // Keep at least two bullets when the extractive summary has them.
    // Positions the model already filled (with its text or a fallback) are not padded again.
    for (let i = Math.min(llmBullets.length, 3); out.length < Math.min(2, ext.length) && i < ext.length; i++) {
      if (!used.has(i)) {
        used.add(i);
        out.push(ext[i]!);
      }
    }
    const usedLlm = out.some((b) => b.source === 'llm');
    if (!usedLlm) return { bullets: ext, usedLlm: false, problems };
    return { bullets: out, usedLlm, problems };
  } catch (err) {
    return fallback(`llm summary failed: ${(err as Error)?.message ?? String(err)}`);
  }
}
