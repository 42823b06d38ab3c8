import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, mkdirSync, mkdtempSync, existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = dirname(fileURLToPath(import.meta.url));

/** Where the build puts things: the node jar (CHAT_NODE_JAR, set by Maven) and this module's target/. */
export const NODE_JAR = process.env.CHAT_NODE_JAR ?? resolve(HERE, '../../../chat-http/target/chat-node.jar');
export const OUT_DIR = process.env.E2E_OUT ?? resolve(HERE, '../target');
const READY_TIMEOUT_MS = 90_000;

export async function freePort(): Promise<number> {
  return new Promise((ok, fail) => {
    const srv = createServer();
    srv.once('error', fail);
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as { port: number }).port;
      srv.close(() => ok(port));
    });
  });
}

/**
 * A real chat node: `java -jar chat-node.jar` on free loopback ports with its own temporary
 * CHAT_DATA_DIR, which a restart keeps (so does the HTTP port, which the browsers reconnect to).
 */
export class ChatNode {
  private proc: ChildProcess | null = null;
  readonly dataDir = mkdtempSync(join(tmpdir(), 'pekkochat-webapp-e2e-'));
  readonly logFile: string;

  private constructor(readonly httpPort: number, readonly clusterPort: number) {
    mkdirSync(OUT_DIR, { recursive: true });
    this.logFile = join(OUT_DIR, `node-${httpPort}.log`);
  }

  static async start(): Promise<ChatNode> {
    if (!existsSync(NODE_JAR)) throw new Error(`node jar not built: ${NODE_JAR} (run mvn package)`);
    const node = new ChatNode(await freePort(), await freePort());
    await node.launch();
    return node;
  }

  get url(): string {
    return `http://127.0.0.1:${this.httpPort}`;
  }

  async launch(): Promise<number> {
    const started = Date.now();
    const env: Record<string, string> = {};
    for (const [k, v] of Object.entries(process.env)) if (v !== undefined && !k.startsWith('CHAT_') && !k.startsWith('BALANCER_')) env[k] = v;
    Object.assign(env, {
      CHAT_HTTP_HOST: '127.0.0.1', CHAT_HTTP_PORT: String(this.httpPort),
      CHAT_CLUSTER_HOST: '127.0.0.1', CHAT_CLUSTER_PORT: String(this.clusterPort),
      CHAT_DATA_DIR: this.dataDir,
    });
    const log = createWriteStream(this.logFile, { flags: 'a' });
    const proc = spawn(process.env.JAVA_BIN ?? 'java', ['-Xmx384m', '-jar', NODE_JAR], { cwd: this.dataDir, env, stdio: ['ignore', 'pipe', 'pipe'] });
    proc.stdout!.pipe(log);
    proc.stderr!.pipe(log);
    this.proc = proc;
    while (Date.now() - started < READY_TIMEOUT_MS) {
      if (proc.exitCode !== null) throw new Error(`node exited with ${proc.exitCode} before it was ready; see ${this.logFile}`);
      if ((await fetch(`${this.url}/readyz`).then((r) => r.status).catch(() => 0)) === 200) return Date.now() - started;
      await new Promise((r) => setTimeout(r, 200));
    }
    throw new Error(`node not ready within ${READY_TIMEOUT_MS} ms; see ${this.logFile}`);
  }

  /** kill -9: no drain, no closing frame; the browsers just lose their sockets. */
  async kill9(): Promise<void> {
    const proc = this.proc;
    if (!proc || proc.exitCode !== null) return;
    const exited = new Promise((r) => proc.once('exit', r));
    proc.kill('SIGKILL');
    await exited;
    this.proc = null;
  }
}
