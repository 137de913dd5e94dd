/** Console texts for shipments, receipt, issuance and loss. The en-US table must have exactly the same keys (checked by tsc). */
export const logisticsZh = {} as const;

export const logisticsEn: Record<keyof typeof logisticsZh, string> = {};
