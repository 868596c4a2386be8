import { describe, expect, it } from 'vitest';
import { extractQuotes } from '../../src/newsroom/quotes.ts';

// The tokens of an article are kept in arrays that grow and are reused from call to call.

const filler = Array.from({ length: 400 }, (_, i) => `Officials met in the capital on day ${i} to review the border plan.`).join(' ');
const short = 'Claudia Sheinbaum spoke on Monday. “We will not accept any intervention in our territory,” she said.';

describe('articles longer than the first token arrays', () => {
  it('reads a speaker named after thousands of words', () => {
    const qs = extractQuotes(`${filler}\n“We will keep working with our partners on both sides,” Marco Rubio said.`, { language: 'en' });
    expect(qs.map((q) => [q.speaker, q.verb])).toEqual([['Marco Rubio', 'said']]);
  });

  it('gives a short article the same quotes after a long one as on its own', () => {
    const alone = extractQuotes(short, { language: 'en' });
    extractQuotes(`Marco Rubio arrived. ${filler}\n“This is the end of it,” Rubio said.`, { language: 'en' });
    expect(alone.map((q) => q.speaker)).toEqual(['Claudia Sheinbaum']);
    expect(extractQuotes(short, { language: 'en' })).toEqual(alone);
  });
});
