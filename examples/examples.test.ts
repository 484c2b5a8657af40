// Runs the example programs as a user would: each server and its client in
// processes of their own on an ephemeral port, then the whole demo.
import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { exampleCommand, ROOT, runPair, type PairResult } from './run-pair.js';
import { repr } from './repr.js';

/** The pair's output, to show when an assertion fails. */
function transcript(result: PairResult): string {
  return result.lines.map((l) => `[${l.who}${l.stream === 'stderr' ? ' stderr' : ''}] ${l.line}`).join('\n');
}

function stdout(result: PairResult, who: 'server' | 'client'): string[] {
  return result.lines.filter((l) => l.who === who && l.stream === 'stdout').map((l) => l.line);
}

describe('the echo examples of Python socket documentation', () => {
  it('echo-server.ts and echo-client.ts (IPv4, Sync API) exchange Hello, world', async () => {
    const result = await runPair('echo-server.ts', 'echo-client.ts', { host: '127.0.0.1', timeoutMs: 15_000 });
    const out = transcript(result);
    expect(result.timedOut, out).toBe(false);
    expect(result.server, out).toEqual({ code: 0, signal: null });
    expect(result.client, out).toEqual({ code: 0, signal: null });
    expect(stdout(result, 'server'), out).toEqual([
      `listening on ${result.port}`,
      expect.stringMatching(/^Connected by \['127\.0\.0\.1', \d+\]$/),
    ]);
    expect(stdout(result, 'client'), out).toEqual(["Received b'Hello, world'"]);
  });

  it('echo-server-dualstack.ts and echo-client-dualstack.ts (Promise API) exchange Hello, world', async () => {
    const result = await runPair('echo-server-dualstack.ts', 'echo-client-dualstack.ts', {
      host: 'localhost',
      timeoutMs: 15_000,
    });
    const out = transcript(result);
    expect(result.timedOut, out).toBe(false);
    expect(result.server, out).toEqual({ code: 0, signal: null });
    expect(result.client, out).toEqual({ code: 0, signal: null });
    // IPv6 first (::1 on a `::` listener); on a machine without IPv6, IPv4.
    expect(stdout(result, 'server'), out).toEqual([
      `listening on ${result.port}`,
      expect.stringMatching(/^Connected by \[('::1', \d+, 0, 0|'127\.0\.0\.1', \d+)\]$/),
    ]);
    expect(stdout(result, 'client'), out).toEqual(["Received b'Hello, world'"]);
  });

  it('the dual-stack server accepts an IPv4 client, as an IPv4-mapped address', async () => {
    const result = await runPair('echo-server-dualstack.ts', 'echo-client-dualstack.ts', {
      host: '127.0.0.1',
      timeoutMs: 15_000,
    });
    expect(result.ok, transcript(result)).toBe(true);
    expect(stdout(result, 'server')[1], transcript(result)).toMatch(
      /^Connected by \[('::ffff:127\.0\.0\.1', \d+, 0, 0|'127\.0\.0\.1', \d+)\]$/,
    );
  });

  it('the dual-stack client moves on to 127.0.0.1 when ::1 refuses (an IPv4-only server)', async () => {
    const result = await runPair('echo-server.ts', 'echo-client-dualstack.ts', { host: 'localhost', timeoutMs: 15_000 });
    expect(result.ok, transcript(result)).toBe(true);
    expect(stdout(result, 'server')[1], transcript(result)).toMatch(/^Connected by \['127\.0\.0\.1', \d+\]$/);
  });
});

describe('demo.ts', () => {
  it('prints both echo exchanges and the address family table, and exits 0', async () => {
    const [command, args] = exampleCommand('demo.ts');
    const child = spawn(command, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
    const timer = setTimeout(() => child.kill('SIGKILL'), 40_000);
    const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((resolve) =>
      child.on('close', (c, s) => resolve([c, s])),
    ).finally(() => clearTimeout(timer));

    expect({ code, signal }, output).toEqual({ code: 0, signal: null });
    const received = output.split('\n').filter((line) => line === "[client] Received b'Hello, world'");
    expect(received, output).toHaveLength(2);
    expect(output).toMatch(/^\[server\] Connected by \['127\.0\.0\.1', \d+\]$/m);
    expect(output).toMatch(/^family +number +status/m);
    expect(output).toMatch(/^AF_INET +2 +supported +SOCK_STREAM SOCK_DGRAM\b/m);
    expect(output).toMatch(/^AF_UNIX +1 +supported +SOCK_STREAM SOCK_DGRAM SOCK_SEQPACKET\b/m);
    expect(output).not.toMatch(/FAILED/);
  }, 45_000);
});

describe('repr', () => {
  it('prints bytes, strings and addresses as Python does', () => {
    expect(repr(Buffer.from('Hello, world'))).toBe("b'Hello, world'");
    expect(repr(Buffer.from([0, 9, 10, 13, 0x5c, 0x27, 0x7f, 0xff]))).toBe(`b"\\x00\\t\\n\\r\\\\'\\x7f\\xff"`);
    expect(repr(Buffer.from(`'"`))).toBe(`b'\\'"'`);
    expect(repr(Buffer.alloc(0))).toBe("b''");
    expect(repr(['127.0.0.1', 43210])).toBe("['127.0.0.1', 43210]");
    expect(repr(['::1', 43210, 0, 0])).toBe("['::1', 43210, 0, 0]");
    expect(repr("it's")).toBe(`"it's"`);
    expect(repr(null)).toBe('None');
  });
});
