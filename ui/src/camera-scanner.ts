/**
 * Camera scanning: video only (never audio — the microphone belongs to the device and its
 * privacy gate), decoded with the ZXing-based BarcodeDetector ponyfill whose wasm is
 * served by the device (/vendor/zxing_reader.wasm), never a CDN.
 */
export interface CameraScan {
  code: string;
  format: string;
  image: string | null;
}

async function detector() {
  const mod = await import('barcode-detector/ponyfill');
  mod.setZXingModuleOverrides({
    locateFile: (path: string, prefix: string) => (path.endsWith('.wasm') ? '/vendor/zxing_reader.wasm' : prefix + path),
  });
  return new mod.BarcodeDetector();
}

export function thumbnail(source: CanvasImageSource, width: number, height: number): string | null {
  const canvas = document.createElement('canvas');
  const scale = Math.min(1, 240 / Math.max(1, width));
  canvas.width = Math.round(width * scale);
  canvas.height = Math.round(height * scale);
  const ctx = canvas.getContext('2d');
  if (!ctx) return null;
  ctx.drawImage(source, 0, 0, canvas.width, canvas.height);
  const url = canvas.toDataURL('image/jpeg', 0.6);
  return url.length < 48 * 1024 ? url : null;
}

/** Opens the camera on `video` and resolves with the first code seen; `signal` stops it. */
export async function scanWithCamera(video: HTMLVideoElement, signal: AbortSignal): Promise<CameraScan> {
  const stream = await navigator.mediaDevices.getUserMedia({ video: { facingMode: 'environment' }, audio: false });
  try {
    video.srcObject = stream;
    await video.play();
    const det = await detector();
    while (!signal.aborted) {
      const found = await det.detect(video);
      const first = found[0];
      if (first) return { code: first.rawValue, format: first.format, image: thumbnail(video, video.videoWidth, video.videoHeight) };
      await new Promise((r) => setTimeout(r, 200));
    }
    throw new DOMException('scan cancelled', 'AbortError');
  } finally {
    for (const track of stream.getTracks()) track.stop();
    video.srcObject = null;
  }
}

/** Decodes a still image (a file the owner picked, or a test fixture). */
export async function scanImage(blob: Blob): Promise<CameraScan | null> {
  const bitmap = await createImageBitmap(blob);
  const found = await (await detector()).detect(bitmap);
  const first = found[0];
  return first ? { code: first.rawValue, format: first.format, image: thumbnail(bitmap, bitmap.width, bitmap.height) } : null;
}
