/** Console texts for write-back feed, SLA, reports. The en-US table must have exactly the same keys (checked by tsc). */
export const reportsZh = {} as const;

export const reportsEn: Record<keyof typeof reportsZh, string> = {};
