/**
 * The bench's end of an engine child process (./benchProtocol): start it, wait for its hello,
 * send one request at a time and read one reply line each. Its stderr is echoed to ours,
 * prefixed, as progress; the last lines are kept so a crash can say why.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import readline from 'node:readline';
import type { EngineHello, EngineRequest } from './benchProtocol';

const STDERR_KEPT = 5;

export type StartResult = { ok: true; engine: EngineProcess; hello: Extract<EngineHello, { ready: true }> } | { ok: false; reason: string };

export class EngineProcess {
  private readonly replies: string[] = [];
  private waiting: ((line: string | null) => void) | undefined;
  private readonly stderrTail: string[] = [];
  private exited: string | undefined;

  private constructor(
    readonly name: string,
    private readonly child: ChildProcess,
    echo: boolean,
  ) {
    readline.createInterface({ input: child.stdout! }).on('line', (line) => this.deliver(line));
    readline.createInterface({ input: child.stderr! }).on('line', (line) => {
      this.stderrTail.push(line);
      if (this.stderrTail.length > STDERR_KEPT) this.stderrTail.shift();
      if (echo && line.trim()) process.stderr.write(`  [${name}] ${line}\n`);
    });
    const ended = (why: string) => {
      this.exited ??= why;
      this.deliver(null);
    };
    // 'close' comes after the last stdout line has been read, unlike 'exit'.
    child.on('close', (code, signal) => ended(signal ? `killed by ${signal}` : `exited with code ${code}`));
    child.on('error', (err) => ended(err.message));
    // Writing to an engine that has just died must not throw: the next reply reports it.
    child.stdin!.on('error', () => undefined);
  }

  /**
   * Starts `command args` and waits for its hello line. Never throws: a missing interpreter,
   * a failed import or a timeout all come back as a reason.
   */
  static async start(name: string, command: string, args: string[], options: { timeoutMs: number; echo?: boolean; env?: NodeJS.ProcessEnv }): Promise<StartResult> {
    const child = spawn(command, args, { stdio: ['pipe', 'pipe', 'pipe'], env: options.env ?? process.env });
    const engine = new EngineProcess(name, child, options.echo ?? true);
    const line = await engine.nextLine(options.timeoutMs);
    if (line === null) return { ok: false, reason: engine.failure(`${command} could not start`) };
    let hello: EngineHello;
    try {
      hello = JSON.parse(line) as EngineHello;
    } catch {
      await engine.close();
      return { ok: false, reason: `${command} printed "${line.slice(0, 120)}" instead of its hello` };
    }
    if (!hello.ready) {
      await engine.close();
      return { ok: false, reason: hello.reason };
    }
    return { ok: true, engine, hello };
  }

  /** Sends a request and resolves with its reply, or with `{ok:false, error}` if the engine dies or takes too long. */
  async request<T extends object>(request: EngineRequest, timeoutMs: number): Promise<T | { ok: false; error: string }> {
    if (this.exited) return { ok: false, error: this.failure('engine is gone') };
    this.child.stdin!.write(`${JSON.stringify(request)}\n`);
    const line = await this.nextLine(timeoutMs);
    if (line === null) return { ok: false, error: this.failure(`no reply to ${request.op} within ${Math.round(timeoutMs / 1000)} s`) };
    return JSON.parse(line) as T;
  }

  /** Asks the engine to exit; kills it (this child only, by its pid) if it has not within 5 s. */
  async close(): Promise<void> {
    if (this.exited) return;
    this.child.stdin!.write(`${JSON.stringify({ op: 'exit' })}\n`);
    const gone = new Promise<void>((resolve) => this.child.once('close', () => resolve()));
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 5000);
    await gone;
    clearTimeout(timer);
  }

  private failure(fallback: string): string {
    const tail = this.stderrTail.filter((l) => l.trim()).at(-1);
    return [this.exited ? `${this.name} ${this.exited}` : fallback, tail].filter(Boolean).join(': ');
  }

  private deliver(line: string | null): void {
    if (line !== null) this.replies.push(line);
    const resolve = this.waiting;
    if (!resolve) return;
    if (this.replies.length > 0) {
      this.waiting = undefined;
      resolve(this.replies.shift()!);
    } else if (line === null) {
      this.waiting = undefined;
      resolve(null);
    }
  }

  private nextLine(timeoutMs: number): Promise<string | null> {
    if (this.replies.length > 0) return Promise.resolve(this.replies.shift()!);
    if (this.exited) return Promise.resolve(null);
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.waiting = undefined;
        this.child.kill('SIGKILL');
        this.exited ??= `killed after ${Math.round(timeoutMs / 1000)} s without a reply`;
        resolve(null);
      }, timeoutMs);
      this.waiting = (line) => {
        clearTimeout(timer);
        resolve(line);
      };
    });
  }
}
