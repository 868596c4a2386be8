import { describe, expect, it } from 'vitest';
import { digestDue, periodKey } from '../../jobs/digest.ts';
import { extractFigures, materialChange, quietUntil } from '../../src/chat/match.ts';
import type { Subscription } from '../../src/store/chat.ts';

const sub = (over: Partial<Subscription>): Subscription => ({
  id: 1, channel: { platform: 'slack', workspaceId: 'T', channelId: 'C' }, topics: [], actors: [], keywords: [], sources: [], languages: [],
  minImportance: 'routine', minRelevance: 0, quietStart: null, quietEnd: null, timeZone: 'UTC', mode: 'immediate', digestAt: 480,
  lastDigestAt: null, paused: false, pausedReason: null, createdBy: 'U', createdAt: new Date(), ...over,
});

describe('quiet hours in the channel time zone', () => {
  const night = sub({ quietStart: 22 * 60, quietEnd: 7 * 60, timeZone: 'America/Mexico_City' });
  it('spans midnight and ends at the local end time', () => {
    // 23:30 in Mexico City (UTC-6) is 05:30 UTC.
    expect(quietUntil(night, new Date('2026-03-10T05:30:00Z'))?.toISOString()).toBe('2026-03-10T13:00:00.000Z');
    // 06:59 local: one minute left.
    expect(quietUntil(night, new Date('2026-03-10T12:59:00Z'))?.toISOString()).toBe('2026-03-10T13:00:00.000Z');
    // 12:00 local: not quiet.
    expect(quietUntil(night, new Date('2026-03-10T18:00:00Z'))).toBeNull();
  });
  it('has none when unset or empty', () => {
    expect(quietUntil(sub({}), new Date())).toBeNull();
    expect(quietUntil(sub({ quietStart: 60, quietEnd: 60 }), new Date())).toBeNull();
  });
});

describe('digest schedule', () => {
  it('sends a daily digest once per local day, at or after its time', () => {
    const daily = sub({ mode: 'daily', digestAt: 8 * 60, timeZone: 'America/Mexico_City' });
    expect(digestDue(daily, new Date('2026-03-10T13:59:00Z'))).toBe(false); // 07:59 local
    expect(digestDue(daily, new Date('2026-03-10T14:00:00Z'))).toBe(true); // 08:00 local
    const sent = { ...daily, lastDigestAt: new Date('2026-03-10T14:00:00Z') };
    expect(digestDue(sent, new Date('2026-03-10T23:00:00Z'))).toBe(false);
    expect(digestDue(sent, new Date('2026-03-11T14:05:00Z'))).toBe(true);
    expect(periodKey(daily, new Date('2026-03-11T05:00:00Z'))).toBe('2026-03-10'); // still the 10th in Mexico City
  });
  it('sends an hourly digest once per hour, never while paused', () => {
    const hourly = sub({ mode: 'hourly', lastDigestAt: new Date('2026-03-10T10:05:00Z') });
    expect(digestDue(hourly, new Date('2026-03-10T10:59:00Z'))).toBe(false);
    expect(digestDue(hourly, new Date('2026-03-10T11:00:00Z'))).toBe(true);
    expect(digestDue({ ...hourly, paused: true }, new Date('2026-03-10T11:00:00Z'))).toBe(false);
  });
});

describe('material changes', () => {
  it('reads casualty and arrest figures in English and Spanish', () => {
    expect(extractFigures('At least 12 people were killed and 30 detenidos after the raid; 4 heridos.')).toEqual({ killed: 12, arrested: 30, wounded: 4 });
    expect(extractFigures('Suman 1,204 muertos')).toEqual({ killed: 1204 });
    expect(extractFigures('No figures here, only 2026 and 15 trucks')).toEqual({});
  });
  it('re-alerts only on breaking, an official statement or a higher figure', () => {
    const before = { importance: 'notable' as const, official: false, figures: { killed: 3 } };
    expect(materialChange(before, { ...before })).toBeNull();
    expect(materialChange(before, { ...before, figures: { killed: 2 } })).toBeNull();
    expect(materialChange(before, { ...before, figures: { killed: 5 } })?.reason).toBe('new killed figure: 5 (was 3)');
    expect(materialChange(before, { ...before, figures: { killed: 3, arrested: 4 } })?.key).toBe('arrested-4');
    expect(materialChange(before, { ...before, official: true })?.reason).toBe('official statement');
    expect(materialChange(before, { ...before, importance: 'breaking' })?.reason).toBe('became breaking');
    expect(materialChange({ ...before, importance: 'breaking' }, { ...before, importance: 'breaking' })).toBeNull();
  });
});
