import { type ChildProcess, spawn, spawnSync } from 'node:child_process';

export interface Received {
  topic: string;
  json: Record<string, unknown>;
}

export interface Subscriber {
  messages: Received[];
  /** Resolves the messages once `predicate` holds; rejects with what arrived if it never does. */
  until(predicate: (messages: Received[]) => boolean, timeoutMs?: number): Promise<Received[]>;
  output(): string;
  stop(): void;
}

/**
 * `mosquitto_sub -h … -p … -t '#' -u app -P key -d`, the seed's command, parsed from its debug
 * output: a "received PUBLISH (…, 'topic', … (N bytes))" line, then the payload line.
 */
export function mosquittoSub(
  port: number,
  username: string,
  password: string,
  topic = '#',
): Promise<Subscriber> {
  // stdbuf: mosquitto_sub block-buffers stdout into a pipe; line buffering shows messages as they come.
  const child: ChildProcess = spawn('stdbuf', [
    '-oL',
    'mosquitto_sub',
    '-h',
    '127.0.0.1',
    '-p',
    String(port),
    '-t',
    topic,
    '-u',
    username,
    '-P',
    password,
    '-d',
  ]);
  const messages: Received[] = [];
  let out = '';
  let pendingTopic: string | undefined;
  let buffered = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    out += chunk.toString();
    buffered += chunk.toString();
    const lines = buffered.split('\n');
    buffered = lines.pop() ?? '';
    for (const line of lines) {
      const m = /received PUBLISH \(.*?, '([^']+)', \.\.\. \(\d+ bytes\)\)/.exec(line);
      if (m) {
        pendingTopic = m[1];
      } else if (pendingTopic) {
        messages.push({ topic: pendingTopic, json: JSON.parse(line) as Record<string, unknown> });
        pendingTopic = undefined;
      }
    }
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    out += chunk.toString();
  });
  const sub: Subscriber = {
    messages,
    output: () => out,
    stop: () => child.kill(),
    until(predicate, timeoutMs = 30_000) {
      return new Promise((resolve, reject) => {
        const started = Date.now();
        const check = () => {
          if (predicate(messages)) return resolve(messages);
          if (Date.now() - started > timeoutMs) {
            return reject(
              new Error(
                `condition not met; received:\n${messages.map((m) => m.topic).join('\n')}\n${out.slice(-2000)}`,
              ),
            );
          }
          setTimeout(check, 20);
        };
        check();
      });
    },
  };
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const wait = () => {
      if (/received SUBACK/.test(out)) return resolve(sub);
      if (child.exitCode !== null || Date.now() - started > 10_000)
        return reject(new Error(`mosquitto_sub did not subscribe:\n${out}`));
      setTimeout(wait, 10);
    };
    wait();
  });
}

/** `mosquitto_pub -h … -p … -t topic -u app -P key -m message -d`, as the seed shows it. */
export function mosquittoPub(
  port: number,
  username: string,
  password: string,
  topic: string,
  message: string,
): { status: number | null; output: string } {
  const r = spawnSync(
    'mosquitto_pub',
    ['-h', '127.0.0.1', '-p', String(port), '-t', topic, '-u', username, '-P', password, '-m', message, '-d'],
    {
      encoding: 'utf8',
      timeout: 10_000,
    },
  );
  return { status: r.status, output: `${r.stdout}${r.stderr}` };
}
