import { describe, expect, it } from 'vitest';
import { loadBeatPack } from '../../src/kb/pack.ts';
import { createNameIndex, editDistance, trigramSimilarity } from '../../src/kb/names.ts';

const idx = createNameIndex(loadBeatPack());
const top = (q: string) => idx.match(q)[0]?.target.id;

describe('pack name index', () => {
  it('finds actors by name, alias, short form and acronym, ignoring case and accents', () => {
    expect(top('Sheinbaum')).toBe('claudia-sheinbaum');
    expect(top('mencho')).toBe('nemesio-oseguera-cervantes');
    expect(top('el chapo')).toBe('joaquin-guzman-loera');
    expect(top('CJNG')).toBe('cjng');
    expect(top('CARTEL DE SINALOA')).toBe('sinaloa-cartel');
    expect(top('Cártel de Sinaloa')).toBe('sinaloa-cartel');
    expect(top('garcia harfuch')).toBe('omar-garcia-harfuch');
  });

  it('understands Spanish aliases and Spanish topic names', () => {
    expect(top('presidenta Sheinbaum')).toBe('claudia-sheinbaum');
    expect(top('fiscal general Pam Bondi')).toBe('pam-bondi');
    expect(top('Departamento de Estado')).toBe('us-state-department');
    expect(idx.match('fentanilo')[0]?.target).toMatchObject({ kind: 'topic', id: 'fentanyl' });
    expect(idx.match('extradiciones')[0]?.target).toMatchObject({ kind: 'topic', id: 'transfers-extraditions' });
  });

  it('survives typos, prefixes and partial names', () => {
    expect(top('sheinbaun')).toBe('claudia-sheinbaum');
    expect(top('trunp')).toBe('donald-trump');
    expect(top('Hegset')).toBe('pete-hegseth');
    expect(top('cartel jalisco')).toBe('cjng');
  });

  it('scores a shared surname as a tie between several people', () => {
    const hits = idx.match('Guzman');
    expect(hits.length).toBeGreaterThan(2);
    expect(hits[0]!.score - hits[1]!.score).toBeLessThan(0.12);
  });

  it('returns nothing for gibberish and suggests by spelling', () => {
    expect(idx.match('xyzzy')).toEqual([]);
    expect(idx.suggest('Sheinbom').map((s) => s.target.id)).toContain('claudia-sheinbaum');
  });

  it('edit distance counts transpositions as one edit and stops past the limit', () => {
    expect(editDistance('sheinbaum', 'sheinbaun')).toBe(1);
    expect(editDistance('hegseth', 'hegsteh')).toBe(1);
    expect(editDistance('abc', 'xyzxyzxyz', 2)).toBe(3);
    expect(trigramSimilarity('sheinbaum', 'sheinbaum')).toBe(1);
  });
});

describe('autocomplete', () => {
  it('completes partial and misspelt names, filtered by kind', async () => {
    const { completeNames } = await import('../../src/kb/lookup.ts');
    expect(completeNames('harfu', idx, 'actor')[0]).toBe('Omar García Harfuch');
    expect(completeNames('fentanilo', idx, 'topic')).toEqual(['Fentanyl']);
    expect(completeNames('fentanilo', idx, 'actor')).not.toContain('Fentanyl');
    expect(completeNames('Guzman', idx, 'actor', 3)).toHaveLength(3);
  });
});
