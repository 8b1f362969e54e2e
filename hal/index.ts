export * from './errors.ts';
export * from './base/typed-emitter.ts';
export type * from './relay.ts';
export type * from './led.ts';
export * from './light-ring.ts';
export * from './button.ts';
export * from './tone-player.ts';
export * from './microphone.ts';
export type * from './device-set.ts';
