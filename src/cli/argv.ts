// The words after a command, read the one way every command takes an option's value: as the next
// word (`--port 8123`, `-o out.prom`) or after "=" (`--port=8123`). Only a long option splits at
// "="; `-o=x` stays one word. Each command says itself which names it knows and what a value must be.

export interface Word {
  /** The word as given. */
  readonly arg: string;
  /** The option's name: the word, or for `--name=value` the part before "=". */
  readonly name: string;
  /** Whether the word carries its value (`--name=value`). */
  readonly inline: boolean;
  /** The option's value: what follows "=", else the next word (taken, so it is not read again); null when there is none or it is empty. */
  value(): string | null;
}

/** Each word of argv in turn; a value read with `value()` is not given again as a word of its own. */
export function* words(argv: readonly string[]): Generator<Word, void, undefined> {
  for (let k = 0; k < argv.length; k++) {
    const arg = argv[k];
    const eq = arg.startsWith('--') ? arg.indexOf('=') : -1;
    const inline = eq > 0;
    const value = () => (inline ? arg.slice(eq + 1) : argv[++k]) || null;
    yield { arg, name: inline ? arg.slice(0, eq) : arg, inline, value };
  }
}
