import { describe, expect, it } from 'vitest';
import { parseFilters, tokens } from '../../commands/chat-services.ts';
import { loadBeatPack } from '../../src/kb/pack.ts';

const pack = loadBeatPack();

describe('/subscribe options', () => {
  it('splits quoted values and comma lists', () => {
    expect(tokens('actors:"Omar García Harfuch",CJNG mode:daily@08:00 fentanyl')).toEqual({
      pairs: [['actors', 'Omar García Harfuch,CJNG'], ['mode', 'daily@08:00']], bare: ['fentanyl'],
    });
  });

  it('resolves bare words to topics, actors or keywords, and reads every option', () => {
    const spec = parseFilters('fentanyl Sheinbaum extradition importance:notable relevance:0.6 languages:es quiet:22:00-07:00 tz:America/Mexico_City mode:daily@07:30 backfill:3', pack);
    if (typeof spec === 'string') throw new Error(spec);
    expect(spec.add.topics).toEqual(['fentanyl']);
    expect(spec.add.actors).toHaveLength(1);
    expect(spec.add.keywords).toEqual(['extradition']);
    expect(spec.patch).toMatchObject({ minImportance: 'notable', minRelevance: 0.6, quietStart: 1320, quietEnd: 420, timeZone: 'America/Mexico_City', mode: 'daily', digestAt: 450 });
    expect(spec.add.languages).toEqual(['es']);
    expect(spec.backfill).toBe(3);
  });

  it('explains what it cannot read', () => {
    expect(parseFilters('colour:blue', pack)).toMatch(/not an option/);
    expect(parseFilters('topics:gardening', pack)).toMatch(/not a topic/);
    expect(parseFilters('languages:fr', pack)).toMatch(/not a language/);
    expect(parseFilters('quiet:late', pack)).toMatch(/HH:MM-HH:MM/);
    expect(parseFilters('tz:Mars/Olympus', pack)).toMatch(/not a time zone/);
    expect(parseFilters('relevance:2', pack)).toMatch(/0 to 1/);
    expect(parseFilters('backfill:500', pack)).toMatch(/0 to 20/);
  });
});
