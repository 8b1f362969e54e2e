import { TallyError } from '../../../hal/base/errors.ts';

/** Raised when a known event carries a field of the wrong type or misses a required one. */
export const WYOMING_BAD_EVENT = 'WYOMING_BAD_EVENT';

export type EventData = Record<string, unknown>;

function isObject(v: unknown): v is EventData {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * Reads the data of one event, field by field, the way the reference library's
 * `from_event` does: a required field that is missing or of the wrong type throws a
 * coded error naming the event and the field. `null` counts as absent (wyoming.md §2).
 */
export class EventFields {
  readonly #type: string;
  readonly #data: EventData;

  constructor(type: string, data: EventData) {
    this.#type = type;
    this.#data = data;
  }

  #bad(key: string, want: string): never {
    throw new TallyError(WYOMING_BAD_EVENT, `${this.#type}.${key} must be ${want}`, { details: { event: this.#type, field: key } });
  }

  #get(key: string): unknown {
    const v = this.#data[key];
    return v === null ? undefined : v;
  }

  str(key: string): string {
    const v = this.optStr(key);
    return v ?? this.#bad(key, 'a string');
  }

  optStr(key: string): string | null {
    const v = this.#get(key);
    if (v === undefined) return null;
    return typeof v === 'string' ? v : this.#bad(key, 'a string');
  }

  oneOf<T extends string>(key: string, options: readonly T[]): T {
    const v = this.str(key);
    if ((options as readonly string[]).includes(v)) return v as T;
    throw new TallyError(WYOMING_BAD_EVENT, `${this.#type}.${key} must be one of ${options.join(', ')}`, {
      validOptions: options,
      details: { event: this.#type, field: key },
    });
  }

  /** A non-negative integer (sizes, seconds, timestamps in ms). */
  int(key: string): number {
    const v = this.optInt(key);
    return v ?? this.#bad(key, 'a non-negative integer');
  }

  optInt(key: string): number | null {
    const v = this.#get(key);
    if (v === undefined) return null;
    return typeof v === 'number' && Number.isInteger(v) && v >= 0 ? v : this.#bad(key, 'a non-negative integer');
  }

  bool(key: string): boolean {
    const v = this.#get(key);
    return typeof v === 'boolean' ? v : this.#bad(key, 'true or false');
  }

  optObject(key: string): EventData | null {
    const v = this.#get(key);
    if (v === undefined) return null;
    return isObject(v) ? v : this.#bad(key, 'an object');
  }

  optStrList(key: string): string[] | null {
    const v = this.#get(key);
    if (v === undefined) return null;
    return Array.isArray(v) && v.every((s) => typeof s === 'string') ? (v as string[]) : this.#bad(key, 'a list of strings');
  }
}
