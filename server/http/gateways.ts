/**
 * Gateway requests → registry fields, the TTS view of a gateway, and the gateway server's hook
 * (docs/behaviour.md §6.7). Gateways are the operator's: only the console administrator manages
 * them (API keys belong to one application).
 */
import type { GatewayCreate, GatewayUpdate, GatewayUpdatePath } from '../../lib/schemas/gateways';
import type { Gateway, GatewayFields } from '../store/ports';
import type { MoteRuntime } from './runtime';

export function createFields(g: GatewayCreate): GatewayFields {
  return {
    eui: g.ids.eui,
    name: g.name,
    description: g.description,
    frequency_plan_id: g.frequency_plan_id,
    location: g.antennas?.[0]?.location,
  };
}

/** With a field mask exactly its paths, else the fields the body has; absent masked ones clear. */
export function updateFields({ gateway: g, field_mask }: GatewayUpdate): Partial<GatewayFields> {
  const given: Record<GatewayUpdatePath, boolean> = {
    name: g.name !== undefined,
    description: g.description !== undefined,
    frequency_plan_id: g.frequency_plan_id !== undefined,
    'ids.eui': g.ids?.eui !== undefined,
    antennas: g.antennas !== undefined,
  };
  const wants = (p: GatewayUpdatePath) => (field_mask ? field_mask.paths.includes(p) : given[p]);
  const out: Partial<GatewayFields> = {};
  if (wants('name')) out.name = g.name ?? '';
  if (wants('description')) out.description = g.description ?? '';
  if (wants('frequency_plan_id')) out.frequency_plan_id = g.frequency_plan_id;
  if (wants('ids.eui')) out.eui = g.ids?.eui;
  // The key present but undefined removes the location (GatewayStore.update).
  if (wants('antennas')) out.location = g.antennas?.[0]?.location;
  return out;
}

/** TTS's `Gateway` JSON: the location as the first antenna's, set in the registry. */
export const gatewayView = (g: Gateway) => ({
  ids: { gateway_id: g.gateway_id, eui: g.eui },
  ...(g.name ? { name: g.name } : {}),
  ...(g.description ? { description: g.description } : {}),
  frequency_plan_id: g.frequency_plan_id,
  frequency_plan_ids: [g.frequency_plan_id],
  ...(g.location ? { antennas: [{ location: { ...g.location, source: 'SOURCE_REGISTRY' } }] } : {}),
  created_at: g.created_at,
  updated_at: g.updated_at,
});

/**
 * Tells the gateway server a registration changed (its EUI cache). The change is committed by
 * then, so a failing hook is logged rather than failing the request.
 */
export function gatewaysChanged(rt: MoteRuntime, ...euis: string[]): void {
  for (const eui of new Set(euis)) {
    try {
      rt.gatewaysChanged?.(eui);
    } catch (err) {
      rt.log.error({ err, eui }, 'gatewaysChanged hook failed');
    }
  }
}
