import { useEffect, useRef, useState } from 'preact/hooks';
import type { ScanRecord } from '../../../src/display/protocol.ts';
import { hello, historyRevision, request, RequestError } from '../connection.ts';
import { scanImage, scanWithCamera, type CameraScan } from '../camera-scanner.ts';
import { electronApi } from '../electron-bridge.ts';
import { WedgeDecoder } from '../usb-wedge.ts';

type Source = 'camera' | 'usb' | 'sim';

/** Scanning results: camera, USB scanner or simulator → catalog lookup → history. */
export function ScanPanel() {
  const [last, setLast] = useState<ScanRecord | null>(null);
  const [scans, setScans] = useState<ScanRecord[]>([]);
  const [status, setStatus] = useState('');
  const [cameraOn, setCameraOn] = useState(false);
  const videoRef = useRef<HTMLVideoElement>(null);
  const abortRef = useRef<AbortController | null>(null);

  const submit = async (scan: CameraScan, source: Source) => {
    try {
      const saved = await request<ScanRecord>({ op: 'scan', code: scan.code, format: scan.format, source, image: scan.image });
      setLast(saved);
      setStatus('');
    } catch (e) {
      setStatus(`Scan failed (${(e as RequestError).code})`);
    }
  };

  useEffect(() => {
    request<ScanRecord[]>({ op: 'list-scans' }).then(setScans, () => setScans([]));
  }, [historyRevision.value]);

  // USB scanner: listens only while this panel is open.
  useEffect(() => {
    const wedge = new WedgeDecoder();
    const onKey = (e: KeyboardEvent) => {
      if ((e.target as HTMLElement | null)?.tagName === 'INPUT') return;
      const code = wedge.key(e.key, e.timeStamp);
      if (code) void submit({ code, format: 'unknown', image: null }, 'usb');
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  // The camera is allowed (Electron permission handler) only while a scan is open.
  useEffect(() => {
    electronApi()?.setScanOpen(cameraOn);
    if (!cameraOn || !videoRef.current) return;
    const ac = new AbortController();
    abortRef.current = ac;
    scanWithCamera(videoRef.current, ac.signal).then(
      (scan) => {
        setCameraOn(false);
        void submit(scan, 'camera');
      },
      (e: Error) => {
        setCameraOn(false);
        if (e.name !== 'AbortError') setStatus(`Camera unavailable (${e.name})`);
      },
    );
    return () => ac.abort();
  }, [cameraOn]);
  useEffect(() => () => electronApi()?.setScanOpen(false), []);

  return (
    <section class="page scan" aria-label="Scan">
      <div class="scan-actions">
        <button type="button" onClick={() => setCameraOn(!cameraOn)}>
          {cameraOn ? 'Stop camera' : 'Scan with camera'}
        </button>
        <label class="file-scan button-like">
          Scan a photo
          <input
            class="visually-hidden"
            type="file"
            accept="image/*"
            aria-label="Scan a photo"
            onChange={async (e) => {
              const file = (e.target as HTMLInputElement).files?.[0];
              if (!file) return;
              const scan = await scanImage(file).catch(() => null);
              if (scan) void submit(scan, 'camera');
              else setStatus('No barcode found in that photo');
            }}
          />
        </label>
        {hello.value?.sim && (
          <button type="button" onClick={() => void submit({ code: 'TALLY-DEMO-1', format: 'qr_code', image: null }, 'sim')}>
            Simulate a scan
          </button>
        )}
        <form
          class="code-form"
          onSubmit={(e) => {
            e.preventDefault();
            const input = (e.currentTarget as HTMLFormElement).elements.namedItem('code') as HTMLInputElement;
            if (input.value.trim()) void submit({ code: input.value.trim(), format: 'manual', image: null }, 'usb');
            input.value = '';
          }}
        >
          <input name="code" aria-label="Barcode" placeholder="or type a code" />
          <button type="submit">Look up</button>
        </form>
      </div>
      {cameraOn && <video ref={videoRef} class="scan-video" muted playsInline aria-label="Camera preview" />}
      <p role="status">{status}</p>
      {last && (
        <div class="card scan-result" data-testid="scan-result">
          <div class="card-kind">
            {last.code} · {last.format}
          </div>
          {last.results.length ? (
            last.results.map((r) => (
              <div>
                <strong>{r.name}</strong> {r.brand && <span>— {r.brand}</span>} {r.detail && <div class="muted">{r.detail}</div>}
                <div class="muted">{r.source === 'local' ? 'from the catalog on this device' : `from ${r.source}`}</div>
              </div>
            ))
          ) : (
            <div>Not in the catalog</div>
          )}
        </div>
      )}
      <h3>Scan history</h3>
      <ul class="scans" aria-label="Scan history">
        {scans.map((s) => (
          <li data-testid="scan">
            {s.image && <img src={s.image} alt={`Photo of scan ${s.code}`} width={60} />}
            <span>{new Date(s.at).toLocaleString()}</span> <span>{s.code}</span> <span>{s.results[0]?.name ?? 'unknown item'}</span>
            <button type="button" aria-label={`Delete scan ${s.code}`} onClick={() => void request({ op: 'delete-scan', id: s.id })}>
              Delete
            </button>
          </li>
        ))}
      </ul>
    </section>
  );
}
