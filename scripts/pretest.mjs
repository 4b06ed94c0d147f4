// npm test's first step: the build (tsc + bundles) and the typecheck of src and test at once. Each is one
// single-threaded tsc, so on CI's two cores running them side by side saves the shorter one's ~15 s.
import { spawn } from 'node:child_process';

const run = (script) =>
  new Promise((resolve) => {
    const child = spawn('npm', ['run', '--silent', script], { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk) => {
      output += chunk;
    });
    child.stderr.on('data', (chunk) => {
      output += chunk;
    });
    child.on('close', (code) => resolve({ script, code, output }));
  });

const results = await Promise.all([run('build'), run('typecheck')]);
for (const { script, code, output } of results) {
  // Printed whole after each ends, so the two tools' lines never interleave.
  if (output) process.stderr.write(output);
  if (code !== 0) process.stderr.write(`npm run ${script} failed (exit ${code})\n`);
}
process.exitCode = results.some((r) => r.code !== 0) ? 1 : 0;
