import { useId } from 'react';
import { loadSample } from '../state/actions.ts';
import { useStore } from '../state/store.ts';
import { groupSamples } from '../base/samples.ts';
import { samplePathOf } from '../state/select.ts';

/** The menu of bundled real dumps (public/samples/index.json). */
export function SamplePicker() {
  const id = useId();
  const samples = useStore((s) => s.samples);
  const manifestError = useStore((s) => s.manifestError);
  const selected = useStore((s) => samplePathOf(s) ?? '');

  return (
    <div className="field">
      <label htmlFor={id}>Sample</label>
      <select
        id={id}
        className="sample-select"
        data-testid="sample-select"
        value={selected}
        disabled={samples.length === 0}
        title={manifestError ?? undefined}
        onChange={(e) => {
          if (e.target.value) void loadSample(e.target.value);
        }}
      >
        {selected === '' && (
          <option value="" disabled>
            {manifestError ? 'Samples unavailable' : 'Choose a sample…'}
          </option>
        )}
        {groupSamples(samples).map(([group, entries]) => (
          <optgroup key={group} label={group}>
            {entries.map((s) => (
              <option key={s.path} value={s.path}>
                {s.label}
              </option>
            ))}
          </optgroup>
        ))}
      </select>
    </div>
  );
}
