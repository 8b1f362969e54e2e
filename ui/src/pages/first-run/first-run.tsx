import { useEffect, useState } from 'preact/hooks';
import type { SetupChoices, SetupInfo } from '../../../../src/display/protocol.ts';
import { request, RequestError } from '../../connection.ts';
import { firstRunOpen, go, settingsRevision } from '../../navigation.ts';
import { ConnectStep } from './connect-step.tsx';
import { Choice } from './choice.tsx';

const STEPS = ['Recordings', 'Keeping', 'Wake word', 'Home Assistant'] as const;
const WAKE_NAMES: Record<string, string> = { alexa: 'Alexa', hey_jarvis: 'Hey Jarvis', hey_mycroft: 'Hey Mycroft', hey_rhasspy: 'Hey Rhasspy' };
const fileName = (p: string) => p.split(/[\\/]/).pop()!.replace(/\.onnx$/, '');

function StepBody({ step, info, choices, set }: { step: number; info: SetupInfo; choices: SetupChoices; set(c: Partial<SetupChoices>): void }) {
  switch (step) {
    case 0:
      return (
        <Choice
          question="Keep a copy of what you say on this device?"
          sentence="Audio goes to your voice service only while the blue light is on; this only decides whether a copy stays here for you to review."
          options={[
            { value: 'no', label: 'Don’t save recordings (recommended)' },
            { value: 'yes', label: 'Save recordings and transcripts here' },
          ]}
          value={choices.saveRecordings ? 'yes' : 'no'}
          onPick={(v) => set({ saveRecordings: v === 'yes' })}
        />
      );
    case 1:
      return (
        <Choice
          question="How long should saved recordings stay?"
          sentence={choices.saveRecordings ? 'Older recordings, transcripts and their activity rows are deleted from disk every day.' : 'Nothing is saved now; this applies if you turn saving on later.'}
          options={[
            { value: '3-months', label: '3 months' },
            { value: '18-months', label: '18 months' },
            { value: 'keep', label: 'Until I delete them' },
          ]}
          value={choices.retention}
          onPick={(v) => set({ retention: v as SetupChoices['retention'] })}
        />
      );
    case 2:
      return (
        <Choice
          question="Which word wakes the device?"
          sentence="Detection runs on this device; nothing is sent until it hears this word (or you press the button)."
          options={[...info.wakeWords.shipped.map((w) => ({ value: w, label: WAKE_NAMES[w] ?? w })), ...info.wakeWords.custom.map((w) => ({ value: w, label: `${fileName(w)} (your model)` }))]}
          value={choices.wakeWords[0]!}
          onPick={(v) => set({ wakeWords: [v] })}
        />
      );
    default:
      return (
        <>
          <h2 class="step-question">Connect to Home Assistant</h2>
          <p class="step-sentence">Home Assistant runs the voice service; these are the details it asks for.</p>
          <ConnectStep c={info.connection} />
        </>
      );
  }
}

/** Three choices and the Home Assistant details, one sentence each; finishing writes the settings store. */
export function FirstRun() {
  const [info, setInfo] = useState<SetupInfo | null>(null);
  const [choices, setChoices] = useState<SetupChoices | null>(null);
  const [step, setStep] = useState(0);
  const [error, setError] = useState('');
  useEffect(() => {
    Promise.all([request<SetupInfo>({ op: 'get-setup' }), request<Record<string, unknown>>({ op: 'get-settings' })]).then(
      ([i, s]) => {
        setInfo(i);
        // Private by default: not saving, 3 months if saving is turned on.
        setChoices({ saveRecordings: false, retention: '3-months', wakeWords: [((s.wakeWords as string[] | undefined) ?? ['alexa'])[0]!] });
      },
      (e: RequestError) => setError(e.code),
    );
  }, []);
  const finish = async () => {
    try {
      await request({ op: 'complete-setup', choices: choices! });
      settingsRevision.value++;
      firstRunOpen.value = false;
      go('home');
    } catch (e) {
      setError((e as RequestError).code);
    }
  };
  const last = step === STEPS.length - 1;
  return (
    <section class="first-run" role="dialog" aria-modal="true" aria-labelledby="first-run-title" data-testid="first-run">
      <div class="first-run-head">
        <h1 id="first-run-title">Set up Tally</h1>
        <span class="step-count" data-testid="step-count">
          Step {step + 1} of {STEPS.length}: {STEPS[step]}
        </span>
      </div>
      {error && <p role="alert">Setup unavailable ({error})</p>}
      {info && choices && (
        <div class="first-run-body">
          <StepBody step={step} info={info} choices={choices} set={(c) => setChoices({ ...choices, ...c })} />
        </div>
      )}
      <div class="first-run-nav">
        <button type="button" onClick={() => (firstRunOpen.value = false)}>
          Later
        </button>
        <span class="spacer" />
        {step > 0 && (
          <button type="button" onClick={() => setStep(step - 1)}>
            Back
          </button>
        )}
        <button type="button" class="primary" disabled={!info} onClick={() => (last ? void finish() : setStep(step + 1))}>
          {last ? 'Finish' : 'Next'}
        </button>
      </div>
    </section>
  );
}
