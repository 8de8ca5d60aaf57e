/**
 * The client's address for throttling. The custom server sets `x-mote-client-address` from the
 * socket (and strips any client-sent copy), so it cannot be spoofed with a header.
 */
export const CLIENT_ADDRESS_HEADER = 'x-mote-client-address';

export const clientAddress = (req: Request) => req.headers.get(CLIENT_ADDRESS_HEADER) ?? 'unknown';
