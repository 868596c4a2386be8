import { describe, expect, it } from 'vitest';
import { loadBeatPack } from '../../src/kb/pack.ts';
import { createActorMatcher, findNameCandidates, findRoles, type ActorMention } from '../../src/newsroom/actors.ts';

const pack = loadBeatPack();
const matcher = createActorMatcher(pack);
const ids = (text: string, opts?: { onBeat?: boolean }) => matcher.match(text, opts).map((m) => m.actorId);
const pairs = (text: string) => matcher.match(text).map((m) => [m.surface, m.actorId, m.via]);

describe('gazetteer matching', () => {
  it('maps English, Spanish and acronym forms to one actor, with offsets and canonical names', () => {
    const text = 'El Cártel de Jalisco Nueva Generación, the Jalisco New Generation Cartel, the CJNG: El Mencho leads it.';
    const ms = matcher.match(text);
    expect(ms.map((m) => m.actorId)).toEqual(['cjng', 'cjng', 'cjng', 'nemesio-oseguera-cervantes']);
    expect(ms[0]).toMatchObject({ name: 'Cártel de Jalisco Nueva Generación', via: 'name', surface: 'Cártel de Jalisco Nueva Generación' });
    for (const m of ms) expect(text.slice(m.start, m.end)).toBe(m.surface);
    expect(ms[3]!.name).toBe('Nemesio Rubén Oseguera Cervantes');
  });

  it('ignores accents and case for names', () => {
    expect(ids('el cartel de jalisco nueva generacion y el cartel de sinaloa')).toEqual(['cjng', 'sinaloa-cartel']);
    expect(ids('OMAR GARCIA HARFUCH y el Raton')).toEqual(['omar-garcia-harfuch', 'ovidio-guzman-lopez']);
  });

  it('matches short all-caps acronyms only in their exact case, as whole words', () => {
    expect(ids('ICE agents and the DEA raided a lab; the CIA flew drones.')).toEqual(['ice', 'dea', 'cia']);
    expect(ids('Ice formed on the road; the dea of the song; nice, justice, iced')).toEqual([]);
    expect(ids('Agentes de la C.I.A. y de la GN')).toContain('cia');
    expect(ids('a DEAL was signed by ICEland')).toEqual([]);
  });

  it('prefers the longest match on overlaps', () => {
    expect(pairs('Gunmen of the Cártel de Jalisco Nueva Generación attacked in Jalisco.')).toEqual([
      ['Cártel de Jalisco Nueva Generación', 'cjng', 'name'],
    ]);
    expect(ids('Ismael Zambada Sicairos, El Mayito Flaco, was arrested.')).toEqual(['ismael-zambada-sicairos', 'ismael-zambada-sicairos']);
    expect(ids('the U.S. Department of Homeland Security')).toEqual(['us-homeland-security']);
  });

  it('does not match across sentence or clause punctuation', () => {
    expect(ids('They met in Sinaloa. Cartel leaders fled.')).not.toContain('sinaloa-cartel');
    expect(ids('Ismael "Mayo" Zambada spoke.')).not.toContain(undefined);
  });
});

describe('ambiguous aliases', () => {
  it('never takes a date for El Mayo', () => {
    expect(ids('El 5 de mayo, el Cártel de Sinaloa atacó Culiacán y Los Chapitos respondieron.')).toEqual(['sinaloa-cartel', 'los-chapitos']);
    expect(ids('La marcha del 5 de Mayo en Culiacán, dijo el Cártel de Sinaloa.')).not.toContain('ismael-zambada-garcia');
    expect(ids('Cinco de Mayo parades drew crowds as Los Chapitos and the Sinaloa Cartel fought.')).not.toContain('ismael-zambada-garcia');
  });

  it('accepts Mayo and Zambada when the same actor is named strongly', () => {
    const text = 'Mayo Zambada pleaded guilty in Brooklyn. Prosecutors said Zambada ran the cartel for decades, and El Mayo asked for leniency. Mayo looked down.';
    const ms = matcher.match(text).filter((m) => m.actorId === 'ismael-zambada-garcia');
    expect(ms.map((m) => [m.surface, m.via])).toEqual([
      ['Mayo Zambada', 'alias'],
      ['Zambada', 'ambiguous'],
      ['El Mayo', 'alias'],
      ['Mayo', 'ambiguous'],
    ]);
  });

  it('drops a lowercase common word even with context', () => {
    expect(ids('Sheinbaum visitó la marina de Mazatlán con su esposo rubio.')).toEqual(['claudia-sheinbaum']);
  });

  it('accepts an organisation word through a related actor (relations and role orgs)', () => {
    // Trevilla's role org is SEDENA, so "Defensa" is the defense ministry here.
    expect(ids('El general Trevilla dijo que la Defensa desplegó 2,000 soldados en Culiacán.')).toEqual(['ricardo-trevilla-trejo', 'sedena']);
    expect(ids('Un anuncio de la Defensa.')).toEqual([]);
  });

  it('accepts a surname after a title, or capitalised mid-sentence on an on-beat text', () => {
    expect(ids('The talks stalled, Sen. Rubio said.')).toEqual(['marco-rubio']);
    expect(ids('El canciller Rubio llegó tarde.')).toEqual(['marco-rubio']);
    // On the beat (two pack actors named strongly): capitalised, mid-sentence, standalone.
    expect(ids('Sheinbaum spoke with Trump, and Rubio praised the transfer.')).toEqual(['claudia-sheinbaum', 'donald-trump', 'marco-rubio']);
    // Off the beat: no.
    expect(ids('A painter named it after Rubio, the old market.')).toEqual([]);
    // The caller can say the text is on the beat.
    expect(ids('The deal, Rubio said, is done.', { onBeat: true })).toEqual(['marco-rubio']);
    // Part of a longer name, or at the start of a sentence: no.
    expect(ids('Sheinbaum met Trump; Daniel Rubio Hernández wrote the report.')).toEqual(['claudia-sheinbaum', 'donald-trump']);
    expect(ids('Sheinbaum met Trump. Rubio was absent.')).toEqual(['claudia-sheinbaum', 'donald-trump']);
  });

  it('resolves "la presidenta" only next to Sheinbaum, and not for another institution\'s president', () => {
    expect(ids('Sheinbaum habló; la presidenta rechazó la intervención.')).toEqual(['claudia-sheinbaum', 'claudia-sheinbaum']);
    expect(ids('la presidenta rechazó la propuesta.')).toEqual([]);
    expect(ids('Sheinbaum escuchó a la presidenta de la Suprema Corte.')).toEqual(['claudia-sheinbaum']);
  });

  it('drops an alias shared by two actors unless context picks one', () => {
    expect(ids('The National Guard was deployed.')).toEqual([]);
    expect(ids('Harfuch said the Guardia Nacional and the National Guard patrol Culiacán.')).toEqual(['omar-garcia-harfuch', 'guardia-nacional', 'guardia-nacional']);
  });

  it('links a later lone surname back to a person named in full', () => {
    const ms = matcher.match('El general Román Villalvazo Barrios encabezó el operativo. Villalvazo dijo que hubo 12 detenidos.');
    expect(ms.map((m) => [m.surface, m.actorId, m.via])).toEqual([
      ['Román Villalvazo Barrios', 'roman-villalvazo-barrios', 'name'],
      ['Villalvazo', 'roman-villalvazo-barrios', 'ambiguous'],
    ]);
    expect(ms.every((m) => m.actorId === 'roman-villalvazo-barrios')).toBe(true);
    expect(ms.some((m) => m.surface === 'Villalvazo' && m.via === 'ambiguous')).toBe(true);
  });
});

describe('findNameCandidates', () => {
  it('finds unknown names with particles and initials, counting repeats and lone surnames', () => {
    const text =
      'The mayor of Culiacán, Juan de Dios Gámez Mendívil, met Sheinbaum on Monday. ' +
      'Gámez Mendívil asked for troops. Analyst Mary K. Lowe of the Wilson Center said the CJNG would adapt. ' +
      'In May, Mendívil left.';
    const known = matcher.match(text);
    const cands = findNameCandidates(text, known);
    const byKey = new Map(cands.map((c) => [c.key, c]));
    expect(byKey.get('juan de dios gamez mendivil')?.count).toBe(2 + 1);
    expect(byKey.has('mary k lowe')).toBe(true);
    expect(byKey.has('wilson center')).toBe(true);
    // Known actors, places, months, days and sentence-initial words are not candidates.
    for (const k of ['sheinbaum', 'cjng', 'culiacan', 'monday', 'may', 'the', 'analyst']) expect(byKey.has(k), k).toBe(false);
  });

  it('separates titles from names and skips role modifiers', () => {
    const text = 'Border Patrol Chief Jane Doe and Navy Secretary John Phelan met in El Paso.';
    const keys = findNameCandidates(text, matcher.match(text)).map((c) => c.key);
    expect(keys).toEqual(['jane doe', 'john phelan']);
  });

  it('keeps Spanish nicknames with a capitalised article mid-sentence', () => {
    const text = 'Detuvieron a Pedro Ruiz, alias El Contador, en Sinaloa.';
    const keys = findNameCandidates(text, matcher.match(text)).map((c) => c.key);
    expect(keys).toEqual(['pedro ruiz', 'el contador']);
  });

  it('does not carry the words blocked by one text\'s mentions over to the next text (reused flags)', () => {
    const first = 'Juan Pérez López met Pedro Ruiz in Culiacán.';
    const blockedAll = [{ start: 0, end: first.length }] as ActorMention[];
    expect(findNameCandidates(first, blockedAll)).toEqual([]);
    expect(findNameCandidates(first, []).map((c) => c.key)).toEqual(['juan perez lopez', 'pedro ruiz']);
  });

  it('returns candidate mentions from the matcher when asked, never for unresolved ambiguous words', () => {
    const ms = matcher.match('La Marina informó que Pedro Ruiz fue detenido.', { candidates: true });
    expect(ms.map((m) => [m.actorId, m.via])).toEqual([['pedro ruiz', 'candidate']]);
  });
});

describe('findRoles', () => {
  const roles = (text: string) => {
    const ms: ActorMention[] = matcher.match(text, { candidates: true });
    return findRoles(text, ms).map((r) => [r.actor, r.role]);
  };

  it('reads English titles before names and appositions after them', () => {
    const text =
      'House Judiciary Chairman Jim Jordan and Defense Secretary Pete Hegseth met Gen. Gregory Guillot, commander of U.S. Northern Command, on Tuesday.';
    expect(roles(text)).toEqual([
      ['jim-jordan', 'House Judiciary Chairman'],
      ['pete-hegseth', 'Defense Secretary'],
      ['gregory-guillot', 'commander of U.S. Northern Command'],
    ]);
  });

  it('reads "the mayor of X, Name" and roles of people not in the pack, with the sentence', () => {
    const text = 'Schools closed again. The mayor of Culiacán, Juan de Dios Gámez Mendívil, said classes would resume.';
    const found = findRoles(text, matcher.match(text, { candidates: true }));
    expect(found).toEqual([
      {
        actor: 'juan de dios gamez mendivil',
        name: 'Juan de Dios Gámez Mendívil',
        role: 'mayor of Culiacán',
        sentence: 'The mayor of Culiacán, Juan de Dios Gámez Mendívil, said classes would resume.',
      },
    ]);
  });

  it('reads Spanish titles and appositions', () => {
    const text =
      'El general Román Villalvazo Barrios, comandante de la Novena Zona Militar, informó del hallazgo. ' +
      'El secretario de Seguridad, Omar García Harfuch, lo confirmó. ' +
      'Luis Pérez, secretario de Seguridad de Sinaloa, pidió calma.';
    expect(roles(text)).toEqual([
      ['roman-villalvazo-barrios', 'general'],
      ['roman-villalvazo-barrios', 'comandante de la Novena Zona Militar'],
      ['omar-garcia-harfuch', 'secretario de Seguridad'],
      ['luis perez', 'secretario de Seguridad de Sinaloa'],
    ]);
  });

  it('reads the same roles from a body whether or not its title + body was just matched (token reuse)', () => {
    const title = 'Mayor of Culiacán speaks';
    const body = 'Schools closed again. The mayor of Culiacán, Juan de Dios Gámez Mendívil, said classes would resume. ' +
      'El general Román Villalvazo Barrios, comandante de la Novena Zona Militar, informó del hallazgo.';
    const shifted = (full: string, shift: number) =>
      matcher.match(full, { candidates: true }).filter((m) => m.start >= shift).map((m) => ({ ...m, start: m.start - shift, end: m.end - shift }));
    // Fresh: the last text matched is unrelated to the body.
    const mentions = shifted(`${title}\n\n${body}`, title.length + 2);
    matcher.match('Nothing to see here.');
    const fresh = findRoles(body, mentions);
    expect(fresh.map((r) => r.role)).toEqual(['mayor of Culiacán', 'general', 'comandante de la Novena Zona Militar']);
    // Right after matching title + body (the engine's order), and after matching the body itself.
    expect(findRoles(body, shifted(`${title}\n\n${body}`, title.length + 2))).toEqual(fresh);
    expect(findRoles(body, shifted(body, 0))).toEqual(fresh);
    // A text that ends the last matched one but is glued to a word before it is tokenized on its own.
    const other = 'Luis Pérez, secretario de Seguridad de Sinaloa, pidió calma.';
    const otherMentions = shifted(other, 0);
    matcher.match(`X${other}`);
    expect(findRoles(other, otherMentions).map((r) => [r.actor, r.role])).toEqual([['luis perez', 'secretario de Seguridad de Sinaloa']]);
  });

  it('stays quiet on sentences without a stated role', () => {
    expect(roles('Sheinbaum said Trump, who spoke by phone, agreed to talks. Pete Hegseth, the day before, had warned cartels.')).toEqual([]);
    expect(roles('Officials in Washington told Harfuch that the CJNG is a target.')).toEqual([]);
  });
});
