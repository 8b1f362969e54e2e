import { useEffect, useState } from 'preact/hooks';
import { request, RequestError } from '../connection.ts';
import { firstRunOpen, settingsRevision } from '../navigation.ts';

const TOGGLES: { key: string; label: string }[] = [
  { key: 'saveRecordings', label: 'Save voice recordings on this device' },
  { key: 'dontSave', label: "Don't save anything (transcripts or audio)" },
  { key: 'deletionByVoice', label: 'Allow deleting history by voice' },
  { key: 'pushToTalk', label: 'Push-to-talk (no wake word; the mic is powered only while you hold the action button)' },
  { key: 'followUp', label: 'Follow-up mode (keep listening briefly after a reply)' },
  { key: 'startTone', label: 'Tone when listening starts' },
  { key: 'endTone', label: 'Tone when listening ends' },
  { key: 'nightMode', label: 'Night mode (dim all but the mute and listening lights)' },
];

/** The privacy settings, and the way back into the first-run flow. */
export function SettingsPage() {
  const [settings, setSettings] = useState<Record<string, unknown> | null>(null);
  const [error, setError] = useState('');
  useEffect(() => {
    request<Record<string, unknown>>({ op: 'get-settings' }).then(setSettings, (e: RequestError) => setError(e.code));
  }, [settingsRevision.value]);
  const save = async (patch: Record<string, unknown>) => {
    try {
      setSettings(await request<Record<string, unknown>>({ op: 'set-settings', patch }));
      setError('');
      settingsRevision.value++;
    } catch (e) {
      setError((e as RequestError).code);
    }
  };
  if (!settings) return <p>{error ? `Settings unavailable (${error})` : 'Loading…'}</p>;
  return (
    <>
    <form class="settings" aria-label="Privacy settings" onSubmit={(e) => e.preventDefault()}>
      {error && <p role="alert">Could not save ({error})</p>}
      {TOGGLES.map((t) => (
        <label class="toggle">
          <input type="checkbox" checked={Boolean(settings[t.key])} onChange={(e) => void save({ [t.key]: (e.target as HTMLInputElement).checked })} />
          {t.label}
        </label>
      ))}
      <label class="select-row">
        Keep recordings{' '}
        <select value={String(settings.retention)} onChange={(e) => void save({ retention: (e.target as HTMLSelectElement).value })}>
          <option value="keep">until I delete them</option>
          <option value="3-months">3 months</option>
          <option value="18-months">18 months</option>
        </select>
      </label>
    </form>
    <div class="settings-more">
      <button type="button" onClick={() => (firstRunOpen.value = true)}>
        Set up again (privacy, wake word, Home Assistant)
      </button>
    </div>
    </>
  );
}
