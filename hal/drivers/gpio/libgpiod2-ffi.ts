/**
 * The slice of libgpiod's v2 C API (libgpiod.so.3: Debian 13 Trixie, Raspberry Pi OS
 * Trixie) that the v2 GPIO back end uses, as a typed interface, and its binding through
 * koffi's FFI. The back end is written against `Libgpiod2` only; tests pass a fake.
 *
 * Enum values are those of gpiod.h in libgpiod 2.2 (checked against the header of
 * Debian's libgpiod-dev 2.2.1): the enums start at 1, not 0.
 */
export const GPIOD_LINE_DIRECTION_INPUT = 2;
export const GPIOD_LINE_DIRECTION_OUTPUT = 3;
export const GPIOD_LINE_BIAS_DISABLED = 3;
export const GPIOD_LINE_BIAS_PULL_UP = 4;
export const GPIOD_LINE_BIAS_PULL_DOWN = 5;
export const GPIOD_LINE_VALUE_ERROR = -1;
export const GPIOD_LINE_VALUE_INACTIVE = 0;
export const GPIOD_LINE_VALUE_ACTIVE = 1;

declare const opaque: unique symbol;
/** A C handle (a koffi pointer object); never null once returned non-null. */
export type Handle<T extends string> = { readonly [opaque]: T };
export type Chip = Handle<'gpiod_chip'>;
export type ChipInfoHandle = Handle<'gpiod_chip_info'>;
export type LineSettings = Handle<'gpiod_line_settings'>;
export type LineConfig = Handle<'gpiod_line_config'>;
export type RequestConfig = Handle<'gpiod_request_config'>;
export type LineRequest = Handle<'gpiod_line_request'>;

export interface Libgpiod2 {
  /** The library file or name that was loaded. */
  readonly library: string;
  /** The C `errno` of the calling thread, right after a failed call. */
  errno(): number;
  apiVersion(): string;
  chipOpen(path: string): Chip | null;
  chipClose(chip: Chip): void;
  chipGetInfo(chip: Chip): ChipInfoHandle | null;
  chipInfoGetName(info: ChipInfoHandle): string;
  chipInfoGetLabel(info: ChipInfoHandle): string;
  chipInfoFree(info: ChipInfoHandle): void;
  lineSettingsNew(): LineSettings | null;
  lineSettingsFree(settings: LineSettings): void;
  lineSettingsSetDirection(settings: LineSettings, direction: number): number;
  lineSettingsSetOutputValue(settings: LineSettings, value: number): number;
  lineSettingsSetBias(settings: LineSettings, bias: number): number;
  lineSettingsSetActiveLow(settings: LineSettings, activeLow: boolean): void;
  lineConfigNew(): LineConfig | null;
  lineConfigFree(config: LineConfig): void;
  lineConfigAddLineSettings(config: LineConfig, offsets: Uint32Array, count: number, settings: LineSettings): number;
  requestConfigNew(): RequestConfig | null;
  requestConfigFree(config: RequestConfig): void;
  requestConfigSetConsumer(config: RequestConfig, consumer: string): void;
  chipRequestLines(chip: Chip, requestConfig: RequestConfig | null, lineConfig: LineConfig): LineRequest | null;
  /** GPIOD_LINE_VALUE_ACTIVE / _INACTIVE (logical: active-low applied), or _ERROR. */
  lineRequestGetValue(request: LineRequest, offset: number): number;
  /** 0, or -1 with errno set. */
  lineRequestSetValue(request: LineRequest, offset: number, value: number): number;
  lineRequestRelease(request: LineRequest): void;
}

/** koffi's slice used here. */
export interface Koffi {
  load(path: string): { func(name: string, result: unknown, args: unknown[]): (...args: unknown[]) => unknown };
  opaque(): unknown;
  pointer(type: unknown): unknown;
  errno(): number;
}

type Signature = [cName: string, result: string, args: string[]];

/** Every C function bound, by the interface's name for it (the real-library test checks each). */
export const LIBGPIOD2_FUNCTIONS: Record<Exclude<keyof Libgpiod2, 'library' | 'errno'>, Signature> = {
  apiVersion: ['gpiod_api_version', 'str', []],
  chipOpen: ['gpiod_chip_open', 'chip', ['str']],
  chipClose: ['gpiod_chip_close', 'void', ['chip']],
  chipGetInfo: ['gpiod_chip_get_info', 'chipInfo', ['chip']],
  chipInfoGetName: ['gpiod_chip_info_get_name', 'str', ['chipInfo']],
  chipInfoGetLabel: ['gpiod_chip_info_get_label', 'str', ['chipInfo']],
  chipInfoFree: ['gpiod_chip_info_free', 'void', ['chipInfo']],
  lineSettingsNew: ['gpiod_line_settings_new', 'settings', []],
  lineSettingsFree: ['gpiod_line_settings_free', 'void', ['settings']],
  lineSettingsSetDirection: ['gpiod_line_settings_set_direction', 'int', ['settings', 'int']],
  lineSettingsSetOutputValue: ['gpiod_line_settings_set_output_value', 'int', ['settings', 'int']],
  lineSettingsSetBias: ['gpiod_line_settings_set_bias', 'int', ['settings', 'int']],
  lineSettingsSetActiveLow: ['gpiod_line_settings_set_active_low', 'void', ['settings', 'bool']],
  lineConfigNew: ['gpiod_line_config_new', 'lineConfig', []],
  lineConfigFree: ['gpiod_line_config_free', 'void', ['lineConfig']],
  lineConfigAddLineSettings: ['gpiod_line_config_add_line_settings', 'int', ['lineConfig', 'offsets', 'size_t', 'settings']],
  requestConfigNew: ['gpiod_request_config_new', 'requestConfig', []],
  requestConfigFree: ['gpiod_request_config_free', 'void', ['requestConfig']],
  requestConfigSetConsumer: ['gpiod_request_config_set_consumer', 'void', ['requestConfig', 'str']],
  chipRequestLines: ['gpiod_chip_request_lines', 'request', ['chip', 'requestConfig', 'lineConfig']],
  lineRequestGetValue: ['gpiod_line_request_get_value', 'int', ['request', 'uint']],
  lineRequestSetValue: ['gpiod_line_request_set_value', 'int', ['request', 'uint', 'int']],
  lineRequestRelease: ['gpiod_line_request_release', 'void', ['request']],
};

/**
 * Binds libgpiod v2. Throws (with the loader's message) when the library cannot be
 * loaded or lacks one of the functions (a libgpiod 1.x `libgpiod.so.2` lacks them all).
 */
export function bindLibgpiod2(koffi: Koffi, library = 'libgpiod.so.3'): Libgpiod2 {
  const lib = koffi.load(library);
  // Anonymous opaque types: binding twice (tests, a second path) must not clash on names.
  const handle = () => koffi.pointer(koffi.opaque());
  const types: Record<string, unknown> = {
    str: 'const char *',
    void: 'void',
    int: 'int',
    uint: 'unsigned int',
    bool: 'bool',
    size_t: 'size_t',
    offsets: 'const unsigned int *',
    chip: handle(),
    chipInfo: handle(),
    settings: handle(),
    lineConfig: handle(),
    requestConfig: handle(),
    request: handle(),
  };
  const bound: Record<string, unknown> = { library, errno: () => koffi.errno() };
  for (const [key, [name, result, args]] of Object.entries(LIBGPIOD2_FUNCTIONS)) {
    bound[key] = lib.func(name, types[result], args.map((a) => types[a]));
  }
  return bound as unknown as Libgpiod2;
}
