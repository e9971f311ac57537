// Entry point: `npm run -s cli -- summary FILE` and the `vmscope` bin.
import { main } from './main.ts';

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    process.stderr.write(`vmscope: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exitCode = 1;
  },
);
