import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { FronteraError } from '../../src/errors.ts';
import { defaultPackDir, loadBeatPack, PackError } from '../../src/kb/pack.ts';

describe('loadBeatPack on the real pack', () => {
  const pack = loadBeatPack(defaultPackDir());

  it('resolves the default directory inside the repository', () => {
    expect(defaultPackDir().replace(/\\/g, '/')).toMatch(/beats\/us-mexico-security\/?$/);
  });

  it('loads actors, events, topics and the lexicon', () => {
    expect(pack.actors.length).toBeGreaterThanOrEqual(70);
    expect(pack.events.length).toBeGreaterThanOrEqual(90);
    expect(pack.topics.map((t) => t.id)).toContain('fentanyl');
    expect(Object.keys(pack.lexicon.positive.en).length).toBeGreaterThanOrEqual(120);
    expect(pack.lexicon.anchors.es).toContain('Culiacán');
  });

  it('normalises dates to strings and fills list defaults', () => {
    const trump = pack.actors.find((a) => a.id === 'donald-trump')!;
    expect(trump.roles[0]!.from).toBe('2025-01-20');
    expect(trump.roles.some((r) => r.from === '2017')).toBe(true);
    const giuliani = pack.actors.find((a) => a.id === 'andrew-giuliani')!;
    expect(giuliani.aliases).toEqual([]);
    for (const e of pack.events) expect(typeof e.date).toBe('string');
  });

  it('keeps Spanish forms and ambiguous aliases apart', () => {
    const cjng = pack.actors.find((a) => a.id === 'cjng')!;
    expect(cjng.aliases).toContain('CJNG');
    const mayo = pack.actors.find((a) => a.id === 'ismael-zambada-garcia')!;
    expect(mayo.ambiguous_aliases).toContain('Mayo');
    expect(mayo.aliases).not.toContain('Mayo');
  });
});

describe('loadBeatPack on a broken copy', () => {
  const dirs: string[] = [];
  afterAll(() => {
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  function brokenCopy(edit: (file: string, text: string) => string): string {
    const dir = mkdtempSync(join(tmpdir(), 'frontera-pack-'));
    dirs.push(dir);
    cpSync(defaultPackDir(), dir, { recursive: true });
    for (const name of ['actors.yaml', 'events.yaml', 'topics.yaml', 'lexicon.yaml']) {
      const path = join(dir, name);
      writeFileSync(path, edit(name, readFileSync(path, 'utf8')));
    }
    return dir;
  }

  function lineOf(text: string, needle: string): number {
    const at = text.indexOf(needle);
    expect(at, needle).toBeGreaterThanOrEqual(0);
    return text.slice(0, at).split('\n').length;
  }

  it('names the file and line of every problem at once', () => {
    const lines: Record<string, number> = {};
    const dir = brokenCopy((name, text) => {
      if (name === 'actors.yaml') {
        let t = text.replace('        from: 2025-01-20\n', '        from: 2025-13-20\n');
        t = t.replace('  - id: pete-hegseth\n', '  - id: marco-rubio\n');
        t = t.replace('target: us-state-department', 'target: us-state-dept');
        t = t.replace('    type: person\n    country: us\n    aliases:\n      - Bondi', '    type: wizard\n    country: us\n    aliases:\n      - Bondi');
        lines.badDate = lineOf(t, 'from: 2025-13-20');
        lines.dupId = lineOf(t, '  - id: marco-rubio\n    name: Pete Hegseth');
        lines.badTarget = lineOf(t, 'target: us-state-dept');
        lines.badType = lineOf(t, 'type: wizard');
        return t;
      }
      if (name === 'events.yaml') {
        const t = text.replace('actors: [ismael-zambada-garcia,', 'actors: [nobody-at-all,');
        lines.badEventActor = lineOf(t, 'actors: [nobody-at-all,');
        return t;
      }
      if (name === 'lexicon.yaml') {
        const t = text.replace('"cartels": 1.0', '"cartels": 9.0');
        lines.badWeight = lineOf(t, '"cartels": 9.0');
        return t;
      }
      return text;
    });

    let error: unknown;
    try {
      loadBeatPack(dir);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(PackError);
    expect(error).toBeInstanceOf(FronteraError);
    const err = error as PackError;
    expect(err.code).toBe('beat_pack');
    expect(err.problems.length).toBeGreaterThanOrEqual(6);
    const msg = err.message;
    expect(msg).toContain(`actors.yaml:${lines.badDate} actors[0] (id "donald-trump").roles[0].from`);
    expect(msg).toContain(`actors.yaml:${lines.dupId} actors[2] (id "marco-rubio").id: duplicate actor id "marco-rubio"`);
    expect(msg).toMatch(new RegExp(`actors\\.yaml:${lines.badTarget} .*relations\\[\\d+\\]\\.target: unknown relation target "us-state-dept"`));
    expect(msg).toMatch(new RegExp(`actors\\.yaml:${lines.badType} .*\\.type: `));
    expect(msg).toContain(`events.yaml:${lines.badEventActor} events[0] (id "2024-07-25-zambada-flown-to-us").actors[0]: unknown actor "nobody-at-all"`);
    expect(msg).toContain(`lexicon.yaml:${lines.badWeight} positive.en.cartels: weight above 3.0`);
  });

  it('points at a missing required key by the line of its entry', () => {
    let line = 0;
    const dir = brokenCopy((name, text) => {
      if (name !== 'topics.yaml') return text;
      const t = text.replace(/    name_es: Designaciones terroristas\n/, '');
      line = lineOf(t, '  - id: designations');
      return t;
    });
    expect(() => loadBeatPack(dir)).toThrow(new RegExp(`topics\\.yaml:${line} topics\\[0\\] \\(id "designations"\\)\\.name_es`));
  });

  it('reports YAML syntax errors with their line, and missing files', () => {
    let line = 0;
    const dir = brokenCopy((name, text) => {
      if (name !== 'topics.yaml') return text;
      const t = text.replace('  - id: fentanyl\n', '  - id: fentanyl\n    name: [unclosed\n');
      line = lineOf(t, 'name: [unclosed') ;
      return t;
    });
    rmSync(join(dir, 'lexicon.yaml'));
    try {
      loadBeatPack(dir);
      expect.unreachable();
    } catch (e) {
      const err = e as PackError;
      const yamlProblem = err.problems.find((p) => p.file.endsWith('topics.yaml'));
      expect(yamlProblem?.message).toMatch(/^YAML/);
      expect(Math.abs(yamlProblem!.line - line)).toBeLessThanOrEqual(2);
      expect(err.problems.some((p) => p.file.endsWith('lexicon.yaml') && p.message === 'file not found')).toBe(true);
    }
  });
});
