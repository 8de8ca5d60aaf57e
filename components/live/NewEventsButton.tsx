/**
 * "N new ↑": events that arrived while the user read further down or had a row open. They are
 * held rather than inserted above the user's position; this brings them in and goes back up.
 */
export function NewEventsButton({ count, onClick }: { count: number; onClick: () => void }) {
  return (
    <div className="pointer-events-none absolute inset-x-0 top-9 z-10 flex justify-center max-sm:top-2">
      <button
        type="button"
        data-testid="new-events"
        data-count={count}
        onClick={onClick}
        className="pointer-events-auto rounded-full bg-indigo-600 px-3 py-1 text-xs font-medium text-white shadow-md hover:bg-indigo-500"
      >
        {count.toLocaleString('en')} new ↑
      </button>
    </div>
  );
}
