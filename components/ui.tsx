import type { ButtonHTMLAttributes, ReactNode } from 'react';

/** Small shared building blocks so every page has the same density and colours. */
type Variant = 'primary' | 'secondary' | 'danger' | 'ghost';

const VARIANTS: Record<Variant, string> = {
  primary: 'bg-indigo-600 text-white hover:bg-indigo-500 border-indigo-600',
  secondary: 'bg-white text-slate-700 hover:bg-slate-50 border-slate-300',
  danger: 'bg-white text-red-700 hover:bg-red-50 border-red-300',
  ghost: 'bg-transparent text-slate-600 hover:bg-slate-100 border-transparent',
};

export function Button({
  variant = 'secondary',
  size = 'md',
  className = '',
  ...rest
}: ButtonHTMLAttributes<HTMLButtonElement> & { variant?: Variant; size?: 'sm' | 'md' }) {
  const sz = size === 'sm' ? 'h-7 px-2 text-xs' : 'h-8 px-3 text-sm';
  return (
    <button
      type="button"
      className={`inline-flex items-center justify-center gap-1.5 rounded-md border font-medium whitespace-nowrap shadow-xs transition-colors disabled:cursor-not-allowed disabled:opacity-50 ${sz} ${VARIANTS[variant]} ${className}`}
      {...rest}
    />
  );
}

export function Card({
  title,
  actions,
  children,
  className = '',
  testId,
}: {
  title?: ReactNode;
  actions?: ReactNode;
  children: ReactNode;
  className?: string;
  testId?: string;
}) {
  return (
    <section
      className={`min-w-0 rounded-lg border border-slate-200 bg-white shadow-xs ${className}`}
      data-testid={testId}
    >
      {(title || actions) && (
        <header className="flex items-center gap-3 border-b border-slate-200 px-4 py-2.5">
          <h2 className="text-sm font-semibold text-slate-800">{title}</h2>
          <div className="ml-auto flex items-center gap-2">{actions}</div>
        </header>
      )}
      {/* A wide table scrolls inside its card on a phone; the page itself never scrolls sideways. */}
      <div className="overflow-x-auto">{children}</div>
    </section>
  );
}

/** lib/apiClient.ts's MoteUnreachable, by its stable name (this file is shared with server pages). */
const UNREACHABLE = 'mote_unreachable';

/**
 * An error beside what failed. Not when Mote gave no answer at all: the offline banner says
 * that once for the whole console (components/shell/OfflineBanner.tsx).
 */
export function ErrorText({ error, testId = 'form-error' }: { error: unknown; testId?: string }) {
  if (!error || (error instanceof Error && error.name === UNREACHABLE)) return null;
  const message = error instanceof Error ? error.message : String(error);
  return (
    <p
      role="alert"
      data-testid={testId}
      className="rounded-md border border-red-200 bg-red-50 px-3 py-2 text-sm text-red-800"
    >
      {message}
    </p>
  );
}

export const inputClass =
  'block w-full rounded-md border border-slate-300 bg-white px-2.5 py-1.5 text-sm outline-none focus:border-indigo-500 focus:ring-2 focus:ring-indigo-100';

export function Label({ text, hint, children }: { text: string; hint?: string; children: ReactNode }) {
  return (
    // biome-ignore lint/a11y/noLabelWithoutControl: the control is passed in as children
    <label className="block text-xs font-medium text-slate-600">
      {text}
      <div className="mt-1">{children}</div>
      {hint && <span className="mt-0.5 block font-normal text-slate-500">{hint}</span>}
    </label>
  );
}

export function Th({ children, className = '' }: { children?: ReactNode; className?: string }) {
  return (
    <th
      className={`px-4 py-2 text-left text-[11px] font-semibold tracking-wide text-slate-500 uppercase ${className}`}
    >
      {children}
    </th>
  );
}

export function Td({
  children,
  className = '',
  colSpan,
}: {
  children?: ReactNode;
  className?: string;
  colSpan?: number;
}) {
  return (
    <td colSpan={colSpan} className={`px-4 py-2 align-middle ${className}`}>
      {children}
    </td>
  );
}

/** One labelled value of a description list (`<dl>`): a gateway's details and status. */
export function Fact({ label, children, testId }: { label: string; children: ReactNode; testId?: string }) {
  return (
    <div>
      <dt className="text-[11px] font-medium tracking-wide text-slate-500 uppercase">{label}</dt>
      <dd className="text-sm text-slate-800" data-testid={testId}>
        {children}
      </dd>
    </div>
  );
}
