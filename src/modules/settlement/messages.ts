/** Error messages of the settlement module (money, contracts, price lists, penalty rules, statements). */
export const SETTLEMENT_MESSAGES = {
  // money
  SETTLEMENT_MONEY_INVALID: { status: 400, zh: '金额 {text} 不正确：{reason}', en: 'The amount {text} is not valid: {reason}' },
  SETTLEMENT_RATE_INVALID: { status: 400, zh: '比例 {rate} 不正确（应写作 5%、1‰ 或 25bp，且不为负数）', en: 'The rate {rate} is not valid (write 5%, 1‰ or 25bp; never negative)' },

  // contracts and price lists
  SETTLEMENT_CONTRACT_INVALID: { status: 400, zh: '结算合同设置不正确：{reason}', en: 'Invalid settlement contract: {reason}' },
  SETTLEMENT_PRICE_UNIT_MISSING: { status: 400, zh: '价目 {item} 没有计价单位（如张、条、年、里程碑）', en: 'The price entry {item} has no unit (card, message segment, year, milestone…)' },
  SETTLEMENT_TERM_OVERLAP: {
    status: 409,
    zh: '与合同 {otherContract} 的服务期重叠（同一供应商、同一服务类型：{start} 至 {end}）',
    en: 'The term overlaps contract {otherContract} for the same supplier and service ({start} to {end})',
  },
  SETTLEMENT_PENALTY_RULE_INVALID: { status: 400, zh: '违约扣款规则 {rule} 不正确：{reason}', en: 'The penalty rule {rule} is not valid: {reason}' },

  // statements and their evidence
  SETTLEMENT_PERIOD_OUTSIDE_TERM: {
    status: 409,
    zh: '结算期 {start} 至 {end} 不在合同期内（{termStart} 至 {termEnd}，含已续签年度）',
    en: 'The period {start} to {end} is outside the contract term ({termStart} to {termEnd}, renewals included)',
  },
  SETTLEMENT_EVIDENCE_OTHER_CONTRACT: { status: 409, zh: '凭据 {evidence} 属于另一份合同，不能用于本结算', en: 'The evidence {evidence} belongs to another contract and cannot be used here' },
  SETTLEMENT_EVIDENCE_OUTSIDE_PERIOD: { status: 409, zh: '凭据 {evidence} 的日期 {date} 不在结算期内', en: 'The evidence {evidence} is dated {date}, outside the period' },
  SETTLEMENT_EVIDENCE_INVALID: { status: 400, zh: '凭据 {evidence} 不正确：{reason}', en: 'The evidence {evidence} is not valid: {reason}' },
} as const;
