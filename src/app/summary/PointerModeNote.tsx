import type { PointerMode } from '../../lib/index.ts';
import { POINTER_MODE_HINT, POINTER_MODE_MAP, POINTER_MODE_SENTENCE, RELATIVE_MAP, RELATIVE_SENTENCE } from '../base/text.ts';

/**
 * What the dump's address printing means for what can be trusted. `relative`: a raw dump from a
 * link that hid its absolute addresses.
 */
export function PointerModeNote({ mode, relative = false }: { mode: PointerMode; relative?: boolean }) {
  const exact = mode === 'raw';
  const hint = POINTER_MODE_HINT[mode];
  const shifted = relative && mode === 'raw';
  const map = shifted ? RELATIVE_MAP : POINTER_MODE_MAP[mode];
  return (
    <p className={`pointer-mode ${exact ? 'is-exact' : 'is-partial'}`} data-testid="pointer-mode" data-mode={mode}>
      <span className="mode-badge">Pointer mode: {mode}</span>
      <span>
        {shifted ? RELATIVE_SENTENCE : POINTER_MODE_SENTENCE[mode]}.{map && <> {map}.</>}
        {hint && <span className="hint"> {hint}.</span>}
      </span>
    </p>
  );
}
