import type { Command } from 'commander';
import { enc, printJson, request } from '../client';

export function registerApplicationCommands(program: Command): Command {
  const apps = program.command('applications').alias('app').description('manage applications');

  apps
    .command('create <application-id>')
    .description('create an application')
    .option('--name <name>', 'display name')
    .option('--description <text>', 'description')
    .action(async (id: string, o: { name?: string; description?: string }) => {
      printJson(
        await request('POST', '/api/v3/applications', {
          application: { ids: { application_id: id }, name: o.name, description: o.description },
        }),
      );
    });

  apps
    .command('list')
    .description('list applications')
    .action(async () => printJson(await request('GET', '/api/v3/applications')));

  apps
    .command('get <application-id>')
    .description('show an application')
    .action(async (id: string) => printJson(await request('GET', `/api/v3/applications/${enc(id)}`)));

  apps
    .command('delete <application-id>')
    .description('delete an application with its devices, keys, queues and history')
    .action(async (id: string) => {
      await request('DELETE', `/api/v3/applications/${enc(id)}`);
    });

  return apps;
}
