import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveName } from '../../src/kb/lookup.ts';
import { createNameIndex } from '../../src/kb/names.ts';
import { loadBeatPack } from '../../src/kb/pack.ts';
import { createKbStore, type KbStore } from '../../src/store/kb.ts';
import { backends, type Backend } from '../helpers/db.ts';
import type { Stores } from '../../src/store/index.ts';

const names = createNameIndex(loadBeatPack());

describe.each(backends().map((b) => [b.name, b] as [string, Backend]))('name resolution with learned names (%s)', (_name, backend) => {
  let stores: Stores;
  let kb: KbStore;
  beforeAll(async () => {
    stores = await backend.open();
    kb = createKbStore(stores.db);
    const seenAt = new Date('2026-02-01T00:00:00Z');
    await stores.newsroom.saveLearnedActors([
      { key: 'rosendo aguilar quintero', name: 'Rosendo Aguilar Quintero', mentions: 4, seenAt },
      { key: 'marisol aguilar', name: 'Marisol Aguilar', mentions: 1, seenAt },
    ]);
  });
  afterAll(async () => {
    await stores.db.close();
  });

  it('finds pack actors first, through typos, accents and Spanish aliases', async () => {
    for (const [q, id] of [['sheinbaun', 'claudia-sheinbaum'], ['MENCHO', 'nemesio-oseguera-cervantes'], ['cartel jalisco', 'cjng'], ['García Harfuch', 'omar-garcia-harfuch'], ['secretario Hegseth', 'pete-hegseth']]) {
      const r = await resolveName(q!, names, kb);
      expect(r, q).toMatchObject({ status: 'found', target: { kind: 'actor', id } });
    }
  });

  it('finds names the engine learned from the news, by full or partial name', async () => {
    expect(await resolveName('Rosendo Aguilar Quintero', names, kb)).toMatchObject({ status: 'found', target: { kind: 'learned', id: 'cand:rosendo aguilar quintero' } });
    expect(await resolveName('aguilar quintero', names, kb)).toMatchObject({ status: 'found', target: { key: 'rosendo aguilar quintero' } });
    expect(await resolveName('Rosendo Aguilar Quinterro', names, kb)).toMatchObject({ status: 'found', target: { key: 'rosendo aguilar quintero' } });
  });

  it('offers choices when a name fits several people', async () => {
    const guzman = await resolveName('Guzmán', names, kb);
    expect(guzman.status).toBe('ambiguous');
    const aguilar = await resolveName('Aguilar', names, kb);
    expect(aguilar.status).toBe('ambiguous');
    if (aguilar.status === 'ambiguous') expect(aguilar.choices.map((c) => c.name)).toEqual(expect.arrayContaining(['Rosendo Aguilar Quintero', 'Marisol Aguilar']));
  });

  it('suggests something for an unknown name, never nothing', async () => {
    for (const q of ['Sheinbom Pardoo Lopez Garcia Xochitl', 'zzqqxx']) {
      const r = await resolveName(q, names, kb);
      if (r.status === 'unknown') expect(r.suggestions.length).toBeGreaterThan(0);
      else expect(r.status).not.toBe('unknown');
    }
    const r = await resolveName('zzqqxx', names, kb);
    expect(r.status).toBe('unknown');
  });
});
