import type { Ws281xChannel, Ws281xModule } from '../drivers/ws281x-ring.ts';

/** A stand-in for `rpi-ws281x-native`: records each rendered frame of 0x00RRGGBB words. */
export function createFakeWs281x(opts: { failInit?: Error; failRender?: Error } = {}): Ws281xModule & {
  renders: Uint32Array[];
  initOptions: { gpio?: number; stripType?: string }[];
  finalized: number;
  failRender: Error | undefined;
} {
  let channel: Ws281xChannel | undefined;
  const fake = Object.assign(
    (numLeds: number, options: { gpio?: number; stripType?: string }) => {
      if (opts.failInit) throw opts.failInit;
      fake.initOptions.push(options);
      channel = { array: new Uint32Array(numLeds), brightness: 255 };
      return channel;
    },
    {
      renders: [] as Uint32Array[],
      initOptions: [] as { gpio?: number; stripType?: string }[],
      finalized: 0,
      failRender: opts.failRender,
      render() {
        if (fake.failRender) throw fake.failRender;
        if (channel) fake.renders.push(Uint32Array.from(channel.array));
      },
      reset() {
        channel?.array.fill(0);
        fake.render();
      },
      finalize() {
        fake.finalized++;
      },
    },
  );
  return fake;
}
