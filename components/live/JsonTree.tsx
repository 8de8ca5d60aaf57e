/**
 * A JSON value as a tree of native `<details>` (keyboard and screen readers know them): objects
 * and arrays fold, long strings wrap. Its text reads as JSON (`"key": value`), so what a user
 * selects and copies from it is what the message holds.
 */
const OPEN_DEPTH = 3;

function Leaf({ value }: { value: unknown }) {
  const text = JSON.stringify(value);
  const tone =
    typeof value === 'string' ? 'text-emerald-800' : value === null ? 'text-slate-500' : 'text-indigo-800';
  return <span className={`break-all whitespace-pre-wrap ${tone}`}>{text}</span>;
}

function Name({ name }: { name?: string }) {
  return name === undefined ? null : <span className="text-slate-600">{JSON.stringify(name)}: </span>;
}

function Node({ name, value, depth }: { name?: string; value: unknown; depth: number }) {
  const branch = typeof value === 'object' && value !== null;
  if (!branch || Object.keys(value).length === 0) {
    const empty = Array.isArray(value) ? '[]' : branch ? '{}' : undefined;
    return (
      <div className="pl-4 -indent-4">
        <Name name={name} />
        {empty ?? <Leaf value={value} />}
      </div>
    );
  }
  const entries: [string | undefined, unknown][] = Array.isArray(value)
    ? value.map((v) => [undefined, v])
    : Object.entries(value);
  const [open, close] = Array.isArray(value) ? ['[', ']'] : ['{', '}'];
  return (
    <details open={depth < OPEN_DEPTH} className="group">
      <summary className="cursor-pointer rounded-sm hover:bg-slate-100">
        <Name name={name} />
        {open}
        <span className="text-slate-500 group-open:hidden">
          {' '}
          {entries.length} {entries.length === 1 ? 'item' : 'items'} {close}
        </span>
      </summary>
      <div className="ml-1.5 border-l border-slate-200 pl-3">
        {entries.map(([k, v], i) => (
          <Node key={k ?? i} name={k} value={v} depth={depth + 1} />
        ))}
      </div>
      <div>{close}</div>
    </details>
  );
}

export function JsonTree({ value, testId }: { value: unknown; testId?: string }) {
  return (
    <div data-testid={testId} className="font-mono text-[11px] leading-relaxed text-slate-800">
      <Node value={value} depth={0} />
    </div>
  );
}
