export * from './errors';
export { EU_863_870 } from './eu_863_870';
export * from './lookups';
export * from './plans';
export * from './types';
export { US_902_928_FSB_2 } from './us_902_928_fsb_2';
