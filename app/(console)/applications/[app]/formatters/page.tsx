import { FormatterEditor } from '@/components/formatters/FormatterEditor';
import { appTitle } from '../../../_data/titles';

export const generateMetadata = appTitle('Payload formatters');

export default async function FormattersPage({ params }: { params: Promise<{ app: string }> }) {
  const { app } = await params;
  return (
    <div className="flex flex-col gap-3">
      <p className="text-sm text-slate-600">
        Default payload formatters of the application: uplinks get <code>decoded_payload</code>, and downlinks
        pushed with <code>decoded_payload</code> are encoded. A device can override them on its own page.
      </p>
      <FormatterEditor scope={{ app }} />
    </div>
  );
}
