import { describe, expect, it } from 'vitest';
import { detectLanguage } from '../../src/newsroom/language.ts';

describe('detectLanguage', () => {
  it('recognizes Spanish news copy', () => {
    expect(detectLanguage('La Fiscalía General de la República informó que los detenidos fueron entregados a las autoridades de Estados Unidos.')).toBe('es');
    expect(detectLanguage('Extraditan a 17 presuntos operadores del cártel a Texas, según la dependencia')).toBe('es');
  });

  it('recognizes English news copy, even with Spanish names in it', () => {
    expect(detectLanguage('Prosecutors said the three men moved counterfeit pills through the Nogales crossing for at least two years.')).toBe('en');
    expect(detectLanguage('The Sinaloa Cartel leader known as El Mayo was transferred to the United States after a hearing in Culiacán.')).toBe('en');
  });

  it('abstains on short, empty or unclear text', () => {
    expect(detectLanguage('')).toBeNull();
    expect(detectLanguage(null)).toBeNull();
    expect(detectLanguage('Ciudad Juárez')).toBeNull();
    expect(detectLanguage('Sheinbaum Trump Rubio Harfuch')).toBeNull();
    expect(detectLanguage('Le gouvernement français a présenté son budget au parlement cette semaine.')).toBeNull();
  });

  // A hang guard, not a speed test: the per-test timeout catches anything super-linear.
  it('handles very long bodies', { timeout: 10_000 }, () => {
    const long = 'The border patrol said the men were detained. '.repeat(50_000);
    expect(detectLanguage(long)).toBe('en');
  });
});
