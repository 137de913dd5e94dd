import type { ModulePage } from '../../components/modulePages.ts';
import type { NavEntry } from '../../nav.tsx';

/** Pages (write-back feed, SLA, reports) and their menu entries; App.tsx and nav.tsx pick these up. */
export const PAGES: readonly ModulePage[] = [];
export const NAV_ENTRIES: readonly NavEntry[] = [];
