import { describe, expect, it } from 'vitest';
import { extractQuotes, type KnownSpeaker, type Quote } from '../../src/newsroom/quotes.ts';

// Every sentence here is written for these tests.

function one(text: string, language: 'en' | 'es' | null = 'en', knownSpeakers?: KnownSpeaker[]): Quote {
  const qs = extractQuotes(text, { language, knownSpeakers });
  expect(qs, JSON.stringify(qs)).toHaveLength(1);
  return qs[0];
}

describe('English attribution patterns', () => {
  it('“…,” Name said.', () => {
    const text = '“We will not accept any intervention in our territory,” Sheinbaum said on Tuesday.';
    const q = one(text);
    expect(q).toMatchObject({
      text: 'We will not accept any intervention in our territory',
      speaker: 'Sheinbaum',
      verb: 'said',
      sentence: text,
    });
    expect(text.slice(q.start, q.end)).toBe(q.text);
  });

  it('“…,” said Title Name. (title stripped)', () => {
    const q = one('“The cartels are terrorist organizations and we will treat them that way,” said Secretary of State Marco Rubio.');
    expect(q.speaker).toBe('Marco Rubio');
    expect(q.verb).toBe('said');
  });

  it('Name said: “…” with a multi-sentence quote', () => {
    const text = 'Rubio said: “Mexico has done more in the past six months than in years. We want to keep that going.”';
    const q = one(text);
    expect(q.speaker).toBe('Rubio');
    expect(q.text).toBe('Mexico has done more in the past six months than in years. We want to keep that going.');
    expect(q.sentence).toBe(text);
  });

  it('straight quotes and "told"', () => {
    const q = one('"We are not going to negotiate on security," Sheinbaum told reporters at the National Palace.');
    expect(q).toMatchObject({ speaker: 'Sheinbaum', verb: 'told', text: 'We are not going to negotiate on security' });
  });

  it('subject with an appositive and an adverb before the verb', () => {
    const q = one('Rubio, the top U.S. diplomat, on Wednesday warned that “the window for talks is closing fast.”');
    expect(q.speaker).toBe('Rubio');
    expect(q.verb).toBe('warned');
  });

  it('according to Title Name', () => {
    const q = one('“This is a very dangerous moment for the region,” according to Adm. Alvin Holsey.');
    expect(q).toMatchObject({ speaker: 'Alvin Holsey', verb: 'according to' });
  });

  it('a question quote ending in “?” followed by the attribution stays one sentence', () => {
    const text = 'Senators pressed the nominee for hours. “Who decides when a strike is legal?” asked Sen. Tim Kaine.';
    const q = one(text);
    expect(q.speaker).toBe('Tim Kaine');
    expect(q.sentence).toBe('“Who decides when a strike is legal?” asked Sen. Tim Kaine.');
  });

  it('an organisation as written is a speaker too', () => {
    const q = one('According to the Justice Department, “the defendants face life in prison if convicted.”');
    expect(q.speaker).toBe('Justice Department');
  });
});

describe('Spanish attribution patterns', () => {
  it('«…», dijo la presidenta Nombre.', () => {
    const q = one('«No vamos a permitir ninguna intervención en nuestro territorio», dijo la presidenta Claudia Sheinbaum.', 'es');
    expect(q).toMatchObject({ speaker: 'Claudia Sheinbaum', verb: 'dijo', text: 'No vamos a permitir ninguna intervención en nuestro territorio' });
  });

  it('Nombre afirmó que «…», with the surname upgraded to the full name named earlier', () => {
    const text = 'La presidenta Claudia Sheinbaum habló en Palacio Nacional. Sheinbaum afirmó que «la soberanía no se negocia».';
    const q = one(text, 'es');
    expect(q.speaker).toBe('Claudia Sheinbaum');
    expect(q.verb).toBe('afirmó');
    expect(q.sentence).toBe('Sheinbaum afirmó que «la soberanía no se negocia».');
  });

  it('“…”, señaló Nombre (Spanish comma after the closing mark)', () => {
    const q = one('“Es una decisión soberana de nuestro país”, señaló Sheinbaum en su conferencia matutina.', 'es');
    expect(q).toMatchObject({ speaker: 'Sheinbaum', verb: 'señaló', text: 'Es una decisión soberana de nuestro país' });
  });

  it('según el canciller Nombre con conectores', () => {
    const q = one('Según el canciller Juan Ramón de la Fuente, «la relación con Washington atraviesa un buen momento».', 'es');
    expect(q).toMatchObject({ speaker: 'Juan Ramón de la Fuente', verb: 'Según' });
  });

  it('de acuerdo con Nombre', () => {
    const q = one('De acuerdo con el fiscal Alejandro Gertz Manero, «los detenidos enfrentan cargos federales graves».', 'es');
    expect(q.speaker).toBe('Alejandro Gertz Manero');
  });

  it('a verb with no subject (dijo, agregó) resolves to the last person named', () => {
    const text =
      'El secretario de Seguridad, Omar García Harfuch, encabezó la reunión en Culiacán. «Hubo 26 detenidos en la operación», agregó.';
    const q = one(text, 'es');
    expect(q).toMatchObject({ speaker: 'Omar García Harfuch', verb: 'agregó' });
  });
});

describe('pronouns and continuing quotes', () => {
  it('he/she resolves to the last person named outside quotes', () => {
    const text =
      'President Claudia Sheinbaum met with governors in Monterrey. “I spoke with Trump this morning, and we are cooperating, but we do not subordinate ourselves,” she said.';
    const q = one(text);
    // Trump is named inside the quote and does not count.
    expect(q.speaker).toBe('Claudia Sheinbaum');
  });

  it('uses known speakers (canonical name and id) when given', () => {
    const text = 'Mexico’s security chief García Harfuch spoke after the raid. “The operation is not over,” he said.';
    const known = [{ start: text.indexOf('García'), end: text.indexOf('García') + 'García Harfuch'.length, name: 'Omar García Harfuch', id: 'omar-garcia-harfuch' }];
    const q = one(text, 'en', known);
    expect(q).toMatchObject({ speaker: 'Omar García Harfuch', speakerId: 'omar-garcia-harfuch' });
  });

  it('a known speaker named directly is reported by its canonical name', () => {
    const text = '“We have the names and we will act,” Hegseth said in Tampa.';
    const known = [{ start: text.indexOf('Hegseth'), end: text.indexOf('Hegseth') + 7, name: 'Pete Hegseth', id: 'hegseth' }];
    expect(one(text, 'en', known)).toMatchObject({ speaker: 'Pete Hegseth', speakerId: 'hegseth' });
  });

  it('the last person wins when several are named', () => {
    const text =
      'Secretary of State Marco Rubio and Foreign Minister Juan Ramón de la Fuente met in Mexico City. After the meeting, “The meeting was productive and frank,” he said.';
    expect(one(text).speaker).toBe('Juan Ramón de la Fuente');
  });

  it('a quote split by its attribution gives two quotes with one speaker', () => {
    const text =
      'Defense Secretary Pete Hegseth visited the border on Friday. “We will not allow it,” he said, “and we will say so in every forum.”';
    const qs = extractQuotes(text, { language: 'en' });
    expect(qs.map((q) => [q.text, q.speaker])).toEqual([
      ['We will not allow it', 'Pete Hegseth'],
      ['and we will say so in every forum.', 'Pete Hegseth'],
    ]);
    expect(qs[0].sentence).toBe(qs[1].sentence);
  });

  it('a sentence that is only a quote continues the previous speaker', () => {
    const text = 'Marco Rubio spoke in Mexico City. “Stop!” Rubio said. “We have work to do, and the clock is running.”';
    const qs = extractQuotes(text, { language: 'en' });
    expect(qs.map((q) => [q.text, q.speaker])).toEqual([
      ['Stop!', 'Marco Rubio'],
      ['We have work to do, and the clock is running.', 'Marco Rubio'],
    ]);
    expect(qs[1].sentence).toBe('“We have work to do, and the clock is running.”');
  });

  it('a quote running on into the next paragraph keeps its speaker', () => {
    const text =
      'Gov. Greg Abbott said: “The state will keep building the wall.\n“We have waited long enough for Washington to act on the border.”';
    const qs = extractQuotes(text, { language: 'en' });
    expect(qs.map((q) => q.speaker)).toEqual(['Greg Abbott', 'Greg Abbott']);
    expect(qs[0].text).toBe('The state will keep building the wall.');
  });

  it('participles attribute to the main speaker', () => {
    const text = '“The strikes were legal,” Hegseth said, adding that the targets were “narco-terrorists operating at sea.”';
    const qs = extractQuotes(text, { language: 'en' });
    expect(qs.map((q) => q.speaker)).toEqual(['Hegseth', 'Hegseth']);
  });

  it('a bare title resolves to the last person with that title', () => {
    const text =
      'President Claudia Sheinbaum spoke on Monday. The president said the attack was “completely unacceptable and a violation of our sovereignty.”';
    expect(one(text).speaker).toBe('Claudia Sheinbaum');
  });
});

describe('nested quotes', () => {
  it('keeps inner quotes inside the text (English)', () => {
    const text = 'Sen. Ted Cruz spoke to reporters. “He told me ‘we are ready to act,’ and I believe him,” Cruz said.';
    const q = one(text);
    expect(q.text).toBe('He told me ‘we are ready to act,’ and I believe him');
    expect(q.speaker).toBe('Ted Cruz');
  });

  it('keeps inner quotes inside the text (Spanish « “ ” »)', () => {
    const text = '«Nos dijeron “esto no es una invasión” y les creímos», sostuvo el gobernador Rubén Rocha.';
    const q = one(text, 'es');
    expect(q.text).toBe('Nos dijeron “esto no es una invasión” y les creímos');
    expect(q.speaker).toBe('Rubén Rocha');
  });
});

describe('what is not a quote, or not attributable', () => {
  it('skips scare quotes', () => {
    expect(extractQuotes('The governor called the plan a “bad idea” on Monday.', { language: 'en' })).toEqual([]);
    expect(extractQuotes('Analistas ven una «nueva etapa» en la relación bilateral.', { language: 'es' })).toEqual([]);
  });

  it('skips titles of works and nicknames', () => {
    expect(extractQuotes('Netflix released a new season of “Narcos: Mexico” last year.', { language: 'en' })).toEqual([]);
    expect(extractQuotes('Joaquín “El Chapo” Guzmán is serving a life sentence in Colorado.', { language: 'en' })).toEqual([]);
    expect(
      extractQuotes('Ismael "El Mayo" Zambada said he was kidnapped and flown to Texas.', { language: 'en' }),
    ).toEqual([]);
  });

  it('never invents a speaker', () => {
    // No speech verb at all.
    expect(
      extractQuotes('Officials met on Monday. “The operation was a success and more arrests are coming.”', { language: 'en' }),
    ).toEqual([]);
    // A speaker that is not a name.
    expect(
      extractQuotes('Analysts have long warned about it. “It is a crisis with no end in sight,” one analyst said.', { language: 'en' }),
    ).toEqual([]);
    // A pronoun with nobody named before it.
    expect(extractQuotes('“We will respond with force,” he said.', { language: 'en' })).toEqual([]);
    // A bare title with no named holder.
    expect(extractQuotes('The president said the attack was “completely unacceptable and a violation of our sovereignty.”', { language: 'en' })).toEqual([]);
    // A possessive: the spokesman spoke, not Sheinbaum.
    expect(
      extractQuotes('“The talks will continue next week in Washington,” Sheinbaum’s spokesman said.', { language: 'en' }),
    ).toEqual([]);
  });

  it('a sentence-only quote after an unrelated sentence is not attributed', () => {
    const text = 'Rubio said: “We are ready to help.” The meeting ended at noon. “More details will come.”';
    const qs = extractQuotes(text, { language: 'en' });
    expect(qs.map((q) => q.text)).toEqual(['We are ready to help.']);
  });

  it('handles empty and quote-free text', () => {
    expect(extractQuotes('', { language: 'en' })).toEqual([]);
    expect(extractQuotes('Mexico sent 26 prisoners to the United States on Tuesday.', { language: 'en' })).toEqual([]);
    expect(extractQuotes('An unmatched “ mark.', { language: 'en' })).toEqual([]);
  });
});

describe('documents', () => {
  it('extracts every attributed quote of a short bilingual-beat article with correct offsets', () => {
    const text = [
      'WASHINGTON — Secretary of State Marco Rubio said on Thursday that the United States would keep pressing Mexico on fentanyl.',
      '“We have seen real progress, but it is not enough,” Rubio told reporters. “The numbers have to keep coming down.”',
      'Mexican President Claudia Sheinbaum answered at her morning news conference. “Cooperation, yes; subordination, no,” she said.',
      'Analysts described the exchange as “routine.”',
    ].join('\n');
    const qs = extractQuotes(text, { language: 'en' });
    expect(qs.map((q) => [q.speaker, q.verb])).toEqual([
      ['Marco Rubio', 'told'],
      ['Marco Rubio', 'told'],
      ['Claudia Sheinbaum', 'said'],
    ]);
    for (const q of qs) expect(text.slice(q.start, q.end)).toBe(q.text);
  });

  it('works with language null (both verb lists)', () => {
    const q = one('«La seguridad es una responsabilidad compartida», declaró el embajador Ronald Johnson.', null);
    expect(q).toMatchObject({ speaker: 'Ronald Johnson', verb: 'declaró' });
  });
});

describe('characters outside ASCII (the scanners read code units, with Unicode tables filled on first use)', () => {
  const said = (text: string, language: 'en' | 'es' | null = 'en') => extractQuotes(text, { language }).map((q) => [q.text, q.speaker, q.verb]);

  it('reads accented, dotted and astral letters in names and quotes', () => {
    expect(said('“We will not allow it,” said İlhan Özdemir, the Turkish envoy.')).toEqual([['We will not allow it', 'İlhan Özdemir', 'said']]);
    expect(said('“𝐁order control works,” Ñoño Pérez said. “Stop!” Rubio said.')).toEqual([
      ['𝐁order control works', 'Ñoño Pérez', 'said'],
      ['Stop!', 'Rubio', 'said'],
    ]);
  });

  it('matches speech verbs in any case and reads titles after a possessive', () => {
    expect(said('«No vamos a permitir ninguna intervención», DIJO la presidenta Claudia Sheinbaum.', 'es')).toEqual([
      ['No vamos a permitir ninguna intervención', 'Claudia Sheinbaum', 'DIJO'],
    ]);
    expect(said('Mexico’s Security Secretary Omar García Harfuch spoke on Monday. “The cartels are weaker than a year ago,” he said.')).toEqual([
      ['The cartels are weaker than a year ago', 'Omar García Harfuch', 'said'],
    ]);
  });
});
