/**
 * PEP 475: a Sync call interrupted by a signal retries instead of raising
 * InterruptedError, in blocking and in timeout mode. The blocked process is a
 * child (its thread is stuck in the syscall); the test signals it with
 * SIGUSR2, which has a handler, so the kernel interrupts the wait.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Socket, SOCK_STREAM } from '@bsdsock/core';
import { AF_UNIX } from '@bsdsock/unix';

const dir = mkdtempSync(join(tmpdir(), 'bsdsock-eintr-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const child = join(__dirname, 'fixtures', 'eintr-child.ts');

async function run(mode: string): Promise<string> {
  const path = join(dir, `${mode}.sock`);
  const server = new Socket(AF_UNIX, SOCK_STREAM);
  server.bind(path);
  server.listen();
  server.settimeout(15);
  const proc = spawn(process.execPath, ['--conditions=source', '--import', 'tsx', child, path, mode], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  proc.stdout.on('data', (d: Buffer) => (out += d.toString()));
  proc.stderr.on('data', (d: Buffer) => (err += d.toString()));
  const exited = new Promise<number | null>((resolve) => proc.on('exit', (code) => resolve(code)));
  const killer = setTimeout(() => proc.kill('SIGKILL'), 15_000);
  try {
    const [conn] = await server.accept();
    conn.settimeout(15);
    while (!out.includes('ready')) await new Promise((r) => setTimeout(r, 10));
    // Let the child enter its blocking call, then interrupt it repeatedly.
    for (let i = 0; i < 5; i++) {
      await new Promise((r) => setTimeout(r, 40));
      proc.kill('SIGUSR2');
    }
    if (mode === 'sendall') {
      let total = 0;
      while (total < 4 * 1024 * 1024) total += (await conn.recv(65536)).length;
    } else {
      await conn.sendall(Buffer.from('hello'));
    }
    const code = await exited;
    conn.close();
    expect(err).toBe('');
    expect(code).toBe(0);
    return out;
  } finally {
    clearTimeout(killer);
    server.close();
  }
}

describe('EINTR retry (PEP 475)', () => {
  it('recvSync in blocking mode retries through signals and returns the data', async () => {
    expect(await run('blocking')).toMatch(/got hello signals [1-5]\n/);
  });

  it('recvSync in timeout mode retries with the remaining time', async () => {
    expect(await run('timeout')).toMatch(/got hello signals [1-5]\n/);
  });

  it('sendallSync keeps sending through signals until every byte is out', async () => {
    expect(await run('sendall')).toMatch(/got sent signals [1-5]\n/);
  });
});
