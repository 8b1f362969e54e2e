import type Database from 'better-sqlite3';
import { TallyError } from '../../hal/base/errors.ts';
import { newRowKey, seal, unseal } from './sealed-box.ts';

/** A barcode scan as the owner reviews it. The image and what it decoded to are sealed per row. */
export interface NewScan {
  code: string;
  format: string;
  image: Buffer | null;
  results: unknown;
}

export interface Scan {
  id: number;
  createdAt: number;
  code: string;
  format: string;
  image: Buffer | null;
  results: unknown;
}

interface ScanRow {
  id: number;
  created_at: number;
  format: string;
  row_key: Buffer;
  code: Buffer;
  image: Buffer | null;
  results: Buffer;
}

// Scans have no id before insert; the random row key is unique per row, so the additional
// data binds each sealed field to the first bytes of it (AAD is never stored).
const aad = (field: string, key: Buffer) => `scan-${field}:${key.subarray(0, 8).toString('hex')}`;

export function insertScan(db: Database.Database, s: NewScan, createdAt: number): number {
  if (typeof s.code !== 'string' || typeof s.format !== 'string' || s.format === '') {
    throw new TallyError('HISTORY_INVALID_SCAN', 'a scan needs a string code and a non-empty format');
  }
  if (s.image !== null && !Buffer.isBuffer(s.image)) throw new TallyError('HISTORY_INVALID_SCAN', 'image must be a Buffer or null');
  const key = newRowKey();
  const info = db
    .prepare('INSERT INTO scans (created_at, format, row_key, code, image, results) VALUES (?, ?, ?, ?, ?, ?)')
    .run(
      createdAt,
      s.format,
      key,
      seal(key, Buffer.from(s.code, 'utf8'), aad('code', key)),
      s.image ? seal(key, s.image, aad('image', key)) : null,
      seal(key, Buffer.from(JSON.stringify(s.results ?? null), 'utf8'), aad('results', key)),
    );
  return Number(info.lastInsertRowid);
}

export function listScans(db: Database.Database): Scan[] {
  const rows = db.prepare('SELECT * FROM scans ORDER BY created_at DESC, id DESC').all() as ScanRow[];
  return rows.map((r) => ({
    id: r.id,
    createdAt: r.created_at,
    format: r.format,
    code: unseal(r.row_key, r.code, aad('code', r.row_key)).toString('utf8'),
    image: r.image ? unseal(r.row_key, r.image, aad('image', r.row_key)) : null,
    results: JSON.parse(unseal(r.row_key, r.results, aad('results', r.row_key)).toString('utf8')),
  }));
}

export function deleteScanRows(db: Database.Database, where: { id?: number; before?: number }): number {
  if (where.id !== undefined) return db.prepare('DELETE FROM scans WHERE id = ?').run(where.id).changes;
  if (where.before !== undefined) return db.prepare('DELETE FROM scans WHERE created_at < ?').run(where.before).changes;
  return db.prepare('DELETE FROM scans').run().changes;
}
