/** Console texts for batches, packages, package keys. The en-US table must have exactly the same keys (checked by tsc). */
export const productionZh = {} as const;

export const productionEn: Record<keyof typeof productionZh, string> = {};
