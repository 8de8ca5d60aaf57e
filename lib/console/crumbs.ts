/**
 * The console's one breadcrumb trail and its 404 wording, both read from the path alone: the
 * console's addresses name what they show (`/applications/{app}/devices/{dev}/settings`), so a
 * missing thing can be named even where Next's notFound() carries no detail.
 */
export interface Crumb {
  label: string;
  href: string;
  /** An ID, shown in monospace. */
  id?: boolean;
}

const SECTIONS: Record<string, string> = {
  devices: 'End devices',
  live: 'Live data',
  formatters: 'Payload formatters',
  'api-keys': 'API keys',
  settings: 'Settings',
};

const decode = (s: string) => {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
};

export function crumbsOf(pathname: string): Crumb[] {
  const parts = pathname.split('/').filter(Boolean).map(decode);
  const crumbs: Crumb[] = [];
  let href = '';
  parts.forEach((part, i) => {
    href += `/${encodeURIComponent(part)}`;
    if (i === 0) {
      crumbs.push(part === 'gateways' ? { label: 'Gateways', href } : { label: 'Applications', href: '/' });
      return;
    }
    const section = SECTIONS[part];
    // An ID sits at odd depths (app, gateway) or right after `devices`.
    const isId = !section || (parts[i - 1] === 'devices' && i === 3);
    crumbs.push({ label: isId ? part : (section ?? part), href, id: isId || undefined });
  });
  return crumbs;
}

export interface Missing {
  /** What was not found, as a sentence. */
  message: string;
  back: { label: string; href: string };
}

export function missingOf(pathname: string): Missing {
  const [root, a, section, b] = pathname.split('/').filter(Boolean).map(decode);
  if (root === 'applications' && a) {
    const appHref = `/applications/${encodeURIComponent(a)}`;
    if (section === 'devices' && b)
      return {
        message: `Application ${a} has no end device ${b}, or ${a} does not exist.`,
        back: { label: `End devices of ${a}`, href: `${appHref}/devices` },
      };
    return { message: `There is no application ${a}.`, back: { label: 'All applications', href: '/' } };
  }
  if (root === 'gateways' && a)
    return { message: `There is no gateway ${a}.`, back: { label: 'All gateways', href: '/gateways' } };
  return { message: `There is no page at ${pathname}.`, back: { label: 'Applications', href: '/' } };
}
