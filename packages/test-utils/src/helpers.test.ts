/**
 * The shared test helpers themselves: fd counting and CPython as a peer.
 */
import { closeSync, openSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { countOpenFds, listOpenFds } from './fds.js';
import { hasPython, needsPython, python, runPython, runPythonSync, spawnPython } from './python.js';

describe('countOpenFds', () => {
  it('sees an fd opened and closed', () => {
    const before = countOpenFds();
    const fd = openSync('/dev/null', 'r');
    expect(countOpenFds()).toBe(before + 1);
    expect(listOpenFds().get(fd)).toBe('/dev/null');
    closeSync(fd);
    expect(countOpenFds()).toBe(before);
  });
});

describe.skipIf(!hasPython())(needsPython('python'), () => {
  it('runs a script and collects its output', async () => {
    expect(await python('import sys; print(sys.version_info[:2], sys.argv[1:])', { args: ['a'] })).toBe("(3, 13) ['a']\n");
    const r = await runPython('import sys; sys.stderr.write("oops"); sys.exit(3)');
    expect([r.code, r.stderr, r.timedOut]).toEqual([3, 'oops', false]);
    expect(runPythonSync('print(input()[::-1])', { input: 'abc\n' }).stdout).toBe('cba\n');
  });

  it('kills a script that outlives its timeout', async () => {
    const r = await runPython('import time; time.sleep(30)', { timeoutMs: 300 });
    expect(r.timedOut).toBe(true);
    expect(r.signal).toBe('SIGKILL');
    expect(runPythonSync('import time; time.sleep(30)', { timeoutMs: 300 }).timedOut).toBe(true);
    await expect(python('import time; time.sleep(30)', { timeoutMs: 300 })).rejects.toThrow(/timed out/);
  });

  it('talks to a running script line by line', async () => {
    const py = spawnPython('import sys\nprint("ready")\nfor line in sys.stdin:\n    print(line.strip().upper())\n');
    expect(await py.readLine()).toBe('ready');
    py.write('hello\n');
    expect(await py.readLine()).toBe('HELLO');
    py.end();
    expect((await py.result).code).toBe(0);
    await expect(py.readLine(1000)).rejects.toThrow(/ended/);
  });
});
