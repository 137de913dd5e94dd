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

  // storage, drafting, approval and payments
  SETTLEMENT_CONTRACT_LOCKED: {
    status: 409,
    zh: '合同 {contract} 已有审批通过的结算单，只能增加已续签年度，不能修改其他条款',
    en: 'Contract {contract} has an approved statement: only renewals taken can be added, nothing else changed',
  },
  SETTLEMENT_SOURCE_INVALID: { status: 400, zh: '结算数据来源不正确：{reason}', en: 'The settlement source is not valid: {reason}' },
  SETTLEMENT_PERIOD_NOT_IN_CYCLE: {
    status: 400,
    zh: '{start} 至 {end} 不是该合同的结算期（结算期按合同的结算周期从合同起始日起算）',
    en: '{start} to {end} is not a billing period of the contract (periods follow its billing cycle from the term start)',
  },
  SETTLEMENT_STATEMENT_EXISTS: { status: 409, zh: '该合同 {start} 至 {end} 的结算单已存在', en: 'The contract already has a statement for {start} to {end}' },
  SETTLEMENT_STATEMENT_LOCKED: { status: 409, zh: '结算单已审批（或已被调整单取代），不能再修改；如需更正请新建调整单', en: 'The statement is approved (or superseded) and cannot be changed; correct it with an adjusting statement' },
  SETTLEMENT_STATEMENT_STATE: { status: 409, zh: '结算单当前状态为 {status}，不能{action}', en: 'The statement is {status}; it cannot be {action}' },
  SETTLEMENT_SELF_APPROVAL: { status: 403, zh: '不能审批自己提交的结算单（编制人与审批人须为两人）', en: 'You cannot approve a statement you submitted (preparer and approver must be two people)' },
  SETTLEMENT_ADJUSTMENT_OPEN: { status: 409, zh: '该结算单已有未审批的调整单', en: 'The statement already has an adjusting statement waiting for approval' },
  SETTLEMENT_INVOICE_EXISTS: { status: 409, zh: '发票号 {number} 已登记在该结算单上', en: 'Invoice {number} is already recorded on this statement' },
} as const;
