// Entry point: `npm run -s cli -- summary FILE`, src/cli/vmscope.mjs, and the `vmscope` bin (bundled
// from here into dist/cli/vmscope.js by scripts/build.mjs). The process's own part is here: its
// streams (main.ts writes through io.ts's processIo), a closed stdout, the exit code.
import { entry } from './main.ts';

// A reader that went away (`vmscope export … | head`) is not an error: stop quietly, as cat does.
// Any other failure to write stdout is reported.
process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  if (e.code === 'EPIPE') process.exit(0);
  process.stderr.write(`vmscope: cannot write: ${e.message}\n`);
  process.exit(1);
});

void entry(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
