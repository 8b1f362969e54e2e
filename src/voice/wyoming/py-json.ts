/**
 * JSON written the way Python's `json.dumps(obj, ensure_ascii=False)` writes it, which is
 * what the reference Wyoming writer puts on the wire: `", "` and `": "` separators, key
 * order kept, non-ASCII raw. Matching it lets our frames be compared byte for byte with
 * the recorded captures. (Floats differ: Python writes `1.0` where JS writes `1`; Wyoming
 * carries integers only, so that never shows up.)
 */
export function pyJsonDumps(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (Array.isArray(value)) return `[${value.map(pyJsonDumps).join(', ')}]`;
  if (typeof value === 'object') {
    const parts: string[] = [];
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
      if (v === undefined) continue; // like JSON.stringify: absent, not null
      parts.push(`${JSON.stringify(k)}: ${pyJsonDumps(v)}`);
    }
    return `{${parts.join(', ')}}`;
  }
  if (typeof value === 'number' && !Number.isFinite(value)) return 'null';
  return JSON.stringify(value);
}
