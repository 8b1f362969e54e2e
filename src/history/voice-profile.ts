import type Database from 'better-sqlite3';
import { newRowKey, seal } from './sealed-box.ts';

/**
 * The voice-profile lifecycle: an explicit opt-in consent record, "delete my voice", and
 * automatic deletion after three years without a recognition (as Amazon does). The
 * recognizer can come later; whatever profile data it stores is sealed under the row's key.
 */
export const VOICE_PROFILE_UNUSED_MS = 3 * 365.25 * 24 * 3600 * 1000;

export interface VoiceProfileStatus {
  id: number;
  consentedAt: number;
  lastRecognizedAt: number | null;
  hasProfileData: boolean;
}

export function insertVoiceProfile(db: Database.Database, consentedAt: number, profile: Buffer | null): number {
  const key = newRowKey();
  const sealed = profile ? seal(key, profile, `voice-profile:${key.subarray(0, 8).toString('hex')}`) : null;
  return Number(
    db.prepare('INSERT INTO voice_profiles (consented_at, row_key, profile) VALUES (?, ?, ?)').run(consentedAt, key, sealed)
      .lastInsertRowid,
  );
}

export function getVoiceProfile(db: Database.Database): VoiceProfileStatus | null {
  const r = db
    .prepare('SELECT id, consented_at, last_recognized_at, profile IS NOT NULL AS has FROM voice_profiles ORDER BY id DESC LIMIT 1')
    .get() as { id: number; consented_at: number; last_recognized_at: number | null; has: number } | undefined;
  return r ? { id: r.id, consentedAt: r.consented_at, lastRecognizedAt: r.last_recognized_at, hasProfileData: r.has === 1 } : null;
}

export function markRecognized(db: Database.Database, at: number): boolean {
  return db.prepare('UPDATE voice_profiles SET last_recognized_at = ?').run(at).changes > 0;
}

export function deleteVoiceProfiles(db: Database.Database, unusedSince?: number): number {
  if (unusedSince === undefined) return db.prepare('DELETE FROM voice_profiles').run().changes;
  return db.prepare('DELETE FROM voice_profiles WHERE COALESCE(last_recognized_at, consented_at) < ?').run(unusedSince).changes;
}
