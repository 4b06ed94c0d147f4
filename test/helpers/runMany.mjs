// Runs many commands of the built connector in one Node process (test/helpers/batch.ts starts it): the code of
// dist/shipstation-source.js (build/cli/main.js, tsc's output), each command with its own stdout and stderr, a few at a time, without a
// process start per command. What the test process needs of each output is prepared here, beside it: the
// protocol messages with each RECORD cut to the fields asked for, and which secrets the output holds.
// Arguments: a JSON file { jobs: [{ args, stdout, messages }], keep, needles } and how many commands run at once.
// Writes each command's stdout and cut messages to the files named; prints [{ code, leaks }] as one JSON line.
import { readFileSync, writeFileSync } from 'node:fs';
import { Writable } from 'node:stream';
import { main } from '../../build/cli/main.js';
import { useUtcProcessZone } from '../../build/time/processZone.js';

useUtcProcessZone();

class Collect extends Writable {
  text = '';
  _write(chunk, _encoding, done) {
    this.text += chunk.toString('utf8');
    done();
  }
}

const [spec, parallel] = process.argv.slice(2);
const { jobs, keep, needles } = JSON.parse(readFileSync(spec, 'utf8'));

function cut(line) {
  const message = JSON.parse(line);
  if (message.type !== 'RECORD' || keep === null) return message;
  const data = Object.fromEntries(
    keep.filter((field) => field in message.record.data).map((field) => [field, message.record.data[field]]),
  );
  return { ...message, record: { ...message.record, data } };
}

const results = [];
let next = 0;
await Promise.all(
  Array.from({ length: Number(parallel) }, async () => {
    while (next < jobs.length) {
      const i = next++;
      const stdout = new Collect();
      const stderr = new Collect();
      const code = await main(jobs[i].args, { stdout, stderr });
      const output = stdout.text + stderr.text;
      results[i] = { code, leaks: needles.filter((needle) => output.includes(needle)).length };
      writeFileSync(jobs[i].stdout, stdout.text);
      const lines = stdout.text.split('\n').filter((line) => line.length > 0);
      writeFileSync(jobs[i].messages, JSON.stringify(lines.map(cut)));
    }
  }),
);
process.stdout.write(JSON.stringify(results));
