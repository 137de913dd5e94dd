/** Error messages of the logistics module (shipments, receipt, issuance, loss). */
export const LOGISTICS_MESSAGES = {} as const;
