import type { Permission } from '../platform/auth/roles.ts';

export type Requirement = 'public' | 'authenticated' | Permission;

export interface RouteAccess {
  need: Requirement;
  /** Name written to the audit trail for state-changing routes. */
  action?: string;
  /** Audit this read too (it shows personal data, e.g. a photo), under `action`. */
  auditRead?: boolean;
  /**
   * Not charged to the general rate limit: a carrier's signed callbacks arrive in bursts from one
   * address, and a refused receipt is a lost delivery status (the signature is the route's protection).
   */
  unmetered?: boolean;
}
