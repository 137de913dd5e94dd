import type { RouteAccess } from '../../http/access-types.ts';

/** Routes of the cards module (production results, bank matching) and what they need. */
export const CARD_ACCESS: Record<string, RouteAccess> = {};
