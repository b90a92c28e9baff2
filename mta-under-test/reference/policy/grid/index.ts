/**
 * The grid (issue 5): tenants graduate from their dedicated pool to the shared high-quality pool
 * above 98 % deliverability, and fall out of it when they misbehave.
 */
export { DEFAULT_DEDICATED_SHARE, DEFAULT_GRID_DEMOTION, DEFAULT_GRID_PROMOTION, GridGovernor } from './governor.ts';
export type {
  GridDemotion,
  GridGovernorOptions,
  GridPool,
  GridPromotion,
  Membership,
  MembershipState,
} from './governor.ts';
export {
  GRID_BLOCK_CLASSES,
  addFigures,
  blockShareOf,
  bounceShareOf,
  complaintShareOf,
  countRecord,
  deliverabilityOf,
  describeTenantFigures,
  emptyTenantFigures,
  finalsOf,
} from './figures.ts';
export type { TenantFigures } from './figures.ts';
