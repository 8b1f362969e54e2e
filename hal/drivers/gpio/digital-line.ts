/**
 * One digital line, in logical terms: `true` means active (pressed, relay contact made,
 * LED lit), whatever the electrical polarity. Every GPIO back end (onoff, libgpiod,
 * Firmata) provides these two, so the button, relay and LED drivers are written once.
 */
export interface DigitalOutput {
  /** Resolves once the line is driven; rejects when the write failed. */
  write(active: boolean): Promise<void>;
  close(): Promise<void>;
}

export interface DigitalInput {
  read(): Promise<boolean>;
  /** Reports raw (undebounced) changes; `onError` when the line can no longer be read. */
  watch(onChange: (active: boolean) => void, onError: (error: Error) => void): void;
  close(): Promise<void>;
}

export interface LineOptions {
  /** libgpiod chip name; ignored by back ends without chips. */
  chip?: string;
  activeLow?: boolean;
  /**
   * Internal bias for inputs. Pi pins differ at reset (GPIO0–8 pull up, 9–27 pull down),
   * so a button to GND asks for `up` rather than trusting the default. Back ends that
   * cannot set it (sysfs) leave the reset default; Firmata has INPUT_PULLUP only.
   */
  pull?: 'up' | 'down';
}

export interface GpioBackend {
  /** Human name for messages, e.g. `libgpiod gpiochip0`. */
  readonly name: string;
  /** Opens an output already driven to `initial` (relays start open, LEDs off). */
  openOutput(pin: number, opts: LineOptions & { initial: boolean }): Promise<DigitalOutput>;
  openInput(pin: number, opts: LineOptions): Promise<DigitalInput>;
}
