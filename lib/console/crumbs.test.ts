import { describe, expect, it } from 'vitest';
import { crumbsOf, missingOf } from './crumbs';

describe('crumbsOf', () => {
  it.each([
    ['/', []],
    ['/gateways', ['Gateways']],
    ['/gateways/gw1', ['Gateways', 'gw1']],
    ['/applications/app1', ['Applications', 'app1']],
    ['/applications/app1/live', ['Applications', 'app1', 'Live data']],
    ['/applications/app1/devices/dev1', ['Applications', 'app1', 'End devices', 'dev1']],
    ['/applications/app1/devices/dev1/settings', ['Applications', 'app1', 'End devices', 'dev1', 'Settings']],
    ['/applications/app1/devices/settings', ['Applications', 'app1', 'End devices', 'settings']],
  ])('%s', (path, labels) => {
    expect(crumbsOf(path).map((c) => c.label)).toEqual(labels);
  });

  it('links each crumb to its own level, the first to the application list', () => {
    expect(crumbsOf('/applications/a%20b/devices/d').map((c) => c.href)).toEqual([
      '/',
      '/applications/a%20b',
      '/applications/a%20b/devices',
      '/applications/a%20b/devices/d',
    ]);
  });
});

describe('missingOf', () => {
  it.each([
    ['/applications/nope', 'There is no application nope.', '/'],
    ['/applications/nope/live', 'There is no application nope.', '/'],
    [
      '/applications/a/devices/d/settings',
      'Application a has no end device d, or a does not exist.',
      '/applications/a/devices',
    ],
    ['/gateways/g', 'There is no gateway g.', '/gateways'],
    ['/nothing/here', 'There is no page at /nothing/here.', '/'],
  ])('%s', (path, message, back) => {
    const m = missingOf(path);
    expect(m.message).toBe(message);
    expect(m.back.href).toBe(back);
  });
});
