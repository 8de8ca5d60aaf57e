import { rightName } from '@/lib/rightLabels';
import type { ApiKey } from '../apiTypes';
import { RelativeTime } from '../RelativeTime';
import { Button, ErrorText, Td, Th } from '../ui';

interface ApiKeyTableProps {
  keys: ApiKey[];
  error: unknown;
  onEdit: (k: ApiKey) => void;
  onDelete: (k: ApiKey) => void;
}

export function ApiKeyTable({ keys, error, onEdit, onDelete }: ApiKeyTableProps) {
  return (
    <>
      <ErrorText error={error} />
      <table className="w-full text-sm" data-testid="api-key-table">
        <thead className="border-b border-slate-200 bg-slate-50">
          <tr>
            <Th>Name</Th>
            <Th>ID</Th>
            <Th>Rights</Th>
            <Th>Created</Th>
            <Th>Expires</Th>
            <Th />
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {keys.map((k) => {
            const expired = k.expires_at !== undefined && Date.parse(k.expires_at) < Date.now();
            return (
              <tr key={k.id} data-testid="api-key-row" data-id={k.id} className="hover:bg-slate-50">
                <Td className="font-medium text-slate-800">
                  {k.name || <span className="text-slate-500">unnamed</span>}
                </Td>
                <Td className="max-w-[10rem] truncate font-mono text-xs text-slate-500">
                  <span title={k.id}>{k.id}</span>
                </Td>
                <Td>
                  <div className="flex flex-wrap gap-1">
                    {(k.rights ?? []).map((r) => (
                      <span
                        key={r}
                        className="rounded bg-slate-100 px-1.5 py-px font-mono text-[11px] text-slate-700"
                      >
                        {rightName(r)}
                      </span>
                    ))}
                  </div>
                </Td>
                <Td className="text-slate-500">
                  <RelativeTime iso={k.created_at} />
                </Td>
                <Td className={expired ? 'text-red-700' : 'text-slate-500'}>
                  <RelativeTime iso={k.expires_at} empty="never" />
                </Td>
                <Td className="text-right whitespace-nowrap">
                  <Button size="sm" variant="ghost" onClick={() => onEdit(k)} data-testid="edit-api-key">
                    Edit
                  </Button>
                  <Button
                    size="sm"
                    variant="ghost"
                    className="text-red-700"
                    onClick={() => onDelete(k)}
                    data-testid="delete-api-key"
                  >
                    Delete
                  </Button>
                </Td>
              </tr>
            );
          })}
          {keys.length === 0 && (
            <tr>
              <Td colSpan={6} className="py-6 text-center text-slate-500">
                No API keys yet.
              </Td>
            </tr>
          )}
        </tbody>
      </table>
    </>
  );
}
