/** openWakeWord streaming constants (see docs: shared/reference/openwakeword.md §2). */
export const SAMPLE_RATE = 16_000;
/** One frame = one 80 ms chunk = one embedding = one score per model. */
export const CHUNK_SAMPLES = 1280;
export const FRAME_MS = (CHUNK_SAMPLES / SAMPLE_RATE) * 1000;
/** Samples before each chunk the mel call also sees, so chunk k yields 8 continuous rows. */
export const MEL_CONTEXT_SAMPLES = 480;
export const MEL_BANDS = 32;
export const MEL_ROWS_PER_CHUNK = 8;
export const EMBEDDING_WINDOW = 76;
export const EMBEDDING_STEP = 8;
export const EMBEDDING_DIM = 96;
export const FEATURE_BUFFER_ROWS = 120;
/** Scores of the first frames after start or reset are forced to 0 (upstream behaviour). */
export const SUPPRESSED_START_FRAMES = 5;

/** mel dB → feature, as upstream: dB/10 + 2 (digital silence −100 dB → −8). */
export function melTransform(db: number): number {
  return db / 10 + 2;
}
