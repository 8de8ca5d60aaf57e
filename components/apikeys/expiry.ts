/** Expiry presets (TTS #1 asks for them) plus a free date; `''` means never. */
export const EXPIRY_OPTIONS = [
  { value: '', label: 'Never' },
  { value: '1', label: '1 day' },
  { value: '7', label: '7 days' },
  { value: '30', label: '30 days' },
  { value: '90', label: '90 days' },
  { value: '365', label: '1 year' },
  { value: 'date', label: 'On a date…' },
] as const;

export function expiresAt(choice: string, date: string): string | null {
  if (choice === '') return null;
  if (choice === 'date') return date ? new Date(`${date}T23:59:59`).toISOString() : null;
  return new Date(Date.now() + Number(choice) * 86_400_000).toISOString();
}
