/** Error messages of the reports module (write-back feed, exports, SLA, reports). */
export const REPORT_MESSAGES = {
  REPORT_DATE_INVALID: { status: 400, zh: '日期 {date} 无效（应为 YYYY-MM-DD 格式的真实日期）', en: 'The date {date} is not valid (a real date written YYYY-MM-DD is expected)' },
  REPORT_PERIOD_INVALID: {
    status: 400,
    zh: '统计区间不正确：开始日期须不晚于结束日期，且区间不超过 {maxDays} 天',
    en: 'Invalid period: the start must not be after the end, and the period may not exceed {maxDays} days',
  },
} as const;
