/** One question, one sentence, big radio-like buttons (a 7-inch screen is touched, not clicked). */
export function Choice({ question, sentence, options, value, onPick }: { question: string; sentence: string; options: { value: string; label: string }[]; value: string; onPick(v: string): void }) {
  return (
    <>
      <h2 class="step-question">{question}</h2>
      <p class="step-sentence">{sentence}</p>
      <div class="choices" role="radiogroup" aria-label={question}>
        {options.map((o) => (
          <button type="button" role="radio" aria-checked={o.value === value} class="choice" onClick={() => onPick(o.value)}>
            {o.label}
          </button>
        ))}
      </div>
    </>
  );
}
