import { NotFound } from '@/components/shell/NotFound';

export const metadata = { title: 'Not found' };

/** A missing application, device or gateway, inside the console's frame. */
export default function ConsoleNotFound() {
  return <NotFound />;
}
