// Worker entry: Node runs this file as is, then loads the TypeScript worker through tsx, as
// bin/mote.cjs does for the CLI (module hooks registered on the main thread do not reach workers).
const { register } = await import('tsx/esm/api');
register();
await import('./worker.ts');
