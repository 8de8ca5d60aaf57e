import { type Command, Option } from 'commander';
import { APPLICATION_RIGHTS, type Right, rightFlag } from '../../../lib/rights';
import { CliError, enc, printJson, request } from '../client';

interface KeyOptions {
  applicationId?: string;
  apiKeyId?: string;
  name?: string;
  expiresAt?: string;
  [flag: string]: string | boolean | undefined;
}

/** `--right-application-traffic-read` → commander's `rightApplicationTrafficRead`. */
const optionKey = (r: Right) =>
  r
    .toLowerCase()
    .split('_')
    .map((w, i) => (i === 0 ? w : w.charAt(0).toUpperCase() + w.slice(1)))
    .join('');

const chosenRights = (o: KeyOptions) => APPLICATION_RIGHTS.filter((r) => o[optionKey(r)] === true);

function withRightFlags(cmd: Command): Command {
  for (const r of APPLICATION_RIGHTS) cmd.addOption(new Option(rightFlag(r), `grant ${r}`));
  return cmd;
}

const need = (value: string | undefined, flag: string) => {
  if (!value) throw new CliError(`error: ${flag} is required`, 2);
  return value;
};

export function registerApiKeyCommands(apps: Command): void {
  const keys = apps.command('api-keys').description('manage API keys of an application');

  withRightFlags(
    keys
      .command('create [application-id]')
      .description('create an API key; prints it once, with `key`')
      .option('--application-id <id>', 'application ID')
      .option('--name <name>', 'key name')
      .option('--expires-at <time>', 'RFC 3339 expiry time'),
  ).action(async (positional: string | undefined, o: KeyOptions) => {
    const app = need(o.applicationId ?? positional, '--application-id');
    const rights = chosenRights(o);
    if (rights.length === 0) throw new CliError('error: give at least one --right-… flag (see --help)', 2);
    printJson(
      await request('POST', `/api/v3/applications/${enc(app)}/api-keys`, {
        name: o.name ?? '',
        rights,
        expires_at: o.expiresAt,
      }),
    );
  });

  keys
    .command('list [application-id]')
    .option('--application-id <id>', 'application ID')
    .action(async (positional: string | undefined, o: KeyOptions) => {
      const app = need(o.applicationId ?? positional, '--application-id');
      printJson(await request('GET', `/api/v3/applications/${enc(app)}/api-keys`));
    });

  keys
    .command('get [application-id] [api-key-id]')
    .option('--application-id <id>', 'application ID')
    .option('--api-key-id <id>', 'API key ID')
    .action(async (a: string | undefined, k: string | undefined, o: KeyOptions) => {
      const app = need(o.applicationId ?? a, '--application-id');
      const id = need(o.apiKeyId ?? k, '--api-key-id');
      printJson(await request('GET', `/api/v3/applications/${enc(app)}/api-keys/${enc(id)}`));
    });

  withRightFlags(
    keys
      .command('update [application-id] [api-key-id]')
      .description('change name, rights or expiry; sessions using the key are closed')
      .option('--application-id <id>', 'application ID')
      .option('--api-key-id <id>', 'API key ID')
      .option('--name <name>', 'key name')
      .option('--expires-at <time>', 'RFC 3339 expiry time'),
  ).action(async (a: string | undefined, k: string | undefined, o: KeyOptions) => {
    const app = need(o.applicationId ?? a, '--application-id');
    const id = need(o.apiKeyId ?? k, '--api-key-id');
    const rights = chosenRights(o);
    printJson(
      await request('PUT', `/api/v3/applications/${enc(app)}/api-keys/${enc(id)}`, {
        api_key: { name: o.name, rights: rights.length > 0 ? rights : undefined, expires_at: o.expiresAt },
      }),
    );
  });

  keys
    .command('delete [application-id] [api-key-id]')
    .option('--application-id <id>', 'application ID')
    .option('--api-key-id <id>', 'API key ID')
    .action(async (a: string | undefined, k: string | undefined, o: KeyOptions) => {
      const app = need(o.applicationId ?? a, '--application-id');
      const id = need(o.apiKeyId ?? k, '--api-key-id');
      await request('DELETE', `/api/v3/applications/${enc(app)}/api-keys/${enc(id)}`);
    });
}
