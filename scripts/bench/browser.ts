export async function runBrowser(_o: { rate: number; seconds: number }, _log: (s: string) => void) {
  return { long_tasks_over_100ms: null, heap_mb_start: null, heap_mb_end: null, note: 'pending' };
}
