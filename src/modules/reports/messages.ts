/** Error messages of the reports module (write-back feed, exports, SLA, reports). */
export const REPORT_MESSAGES = {} as const;
