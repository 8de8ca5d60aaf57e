import { describe, expect, it } from 'vitest';
import { safeNextPath } from './nextPath';

describe('safeNextPath', () => {
  it.each([
    ['/applications/app1', '/applications/app1'],
    ['/applications/app1?tab=live#x', '/applications/app1?tab=live#x'],
    ['/', '/'],
  ])('keeps the same-origin path %s', (next, expected) => {
    expect(safeNextPath(next)).toBe(expected);
  });

  // What `?next=…` decodes to, from the attacks in issue 17.
  it.each([
    '/\\evil.example/',
    decodeURIComponent('/%5Cevil.example/'),
    decodeURIComponent('/%09/evil.example/'),
    '/\t/evil.example/',
    '/\n/evil.example',
    '//evil.example',
    '///evil.example',
    '/\\/evil.example',
    'https://evil.example/',
    'javascript:alert(1)',
    'evil.example',
    '/.//evil.example',
    '',
    null,
    undefined,
  ])('sends %j home instead', (next) => {
    expect(safeNextPath(next)).toBe('/');
  });
});
