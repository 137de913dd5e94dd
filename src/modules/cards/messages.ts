/** Error messages of the cards module (card states, bank matching, production results). */
export const CARD_MESSAGES = {
  CARD_STATE_INVALID: { status: 409, zh: '卡片当前状态为 {from}，不能执行 {action}', en: 'The card is {from}; {action} is not possible' },

  // bank matching
  BANK_ACCOUNT_INVALID: { status: 400, zh: '银行账号不正确（应为 16–19 位数字且通过校验）', en: 'The bank account number is not valid (16–19 digits passing the Luhn check)' },
  BANK_REJECT_REASON_REQUIRED: { status: 400, zh: '退回须填写原因（2–200 个字）', en: 'A rejection needs a reason (2–200 characters)' },
  BANK_DECISION_INVALID: { status: 400, zh: '匹配结果只能是 MATCHED（已匹配）或 REJECTED（不予开户）', en: 'The decision must be MATCHED or REJECTED' },
  BANK_MATCH_APPLICATION_UNKNOWN: { status: 404, zh: '申请编号不存在或不属于本银行', en: 'No application with this number for this bank' },
  BANK_MATCH_DUPLICATE_ROW: { status: 400, zh: '同一申请在文件中出现多次', en: 'The same application appears more than once in the file' },
  BANK_MATCH_EMPTY: { status: 400, zh: '没有可处理的匹配结果', en: 'No matching results were given' },
  CSV_HEADER_INVALID: { status: 400, zh: 'CSV 表头不正确（缺少必需列或含有未知列）', en: 'The CSV header is not valid (a required column is missing or a column is unknown)' },
  BANK_MATCH_IMPORT_INVALID: { status: 400, zh: '匹配结果有 {count} 处错误，未处理任何数据', en: 'The matching results have {count} errors; nothing was processed' },

  // production results
  RESULT_CARD_REQUIRED: { status: 400, zh: '每行须填写卡片编号（cardId）或装箱序号（packingSeq）', en: 'Each row needs a cardId or a packingSeq' },
  RESULT_CARD_NOT_IN_BATCH: { status: 400, zh: '该卡片不属于本批次', en: 'This card is not in this batch' },
  RESULT_OUTCOME_INVALID: { status: 400, zh: '制卡结果只能是 PRODUCED（已制成）或 WASTED（废卡）', en: 'The outcome must be PRODUCED or WASTED' },
  CARD_NO_INVALID: { status: 400, zh: '卡号应为 6–32 位大写字母或数字', en: 'The card number must have 6–32 upper-case letters or digits' },
  CHIP_UID_INVALID: { status: 400, zh: '芯片序列号应为 8–32 位十六进制字符', en: 'The chip UID must have 8–32 hexadecimal digits' },
  CHIP_DATA_INVALID: { status: 400, zh: '芯片数据摘要应为 64 位十六进制 SM3 值', en: 'The chip data digest must be an SM3 digest of 64 hexadecimal digits' },
  CHIP_DATA_MISMATCH: { status: 400, zh: '芯片数据摘要与下发的制卡数据不一致，请核对写入芯片的数据', en: 'The chip data digest differs from the ordered record; check what was written to the chip' },
  CARD_NO_DUPLICATE: { status: 409, zh: '卡号已被本项目的其他卡片使用', en: 'This card number is already used by another card of the programme' },
  RESULT_CONFLICT: { status: 409, zh: '该卡片已回报了不同的制卡结果', en: 'A different result was already reported for this card' },
  WASTE_REASON_REQUIRED: { status: 400, zh: '废卡须填写原因（2–200 个字）', en: 'A wasted card needs a reason (2–200 characters)' },
  WASTE_CAUSE_INVALID: { status: 400, zh: '废卡责任只能是 AUTHORITY_DATA（数据问题）或 PRODUCER（制卡问题）', en: 'The waste cause must be AUTHORITY_DATA or PRODUCER' },
  RESULTS_EMPTY: { status: 400, zh: '没有可处理的制卡结果', en: 'No production results were given' },
  RESULTS_INVALID: { status: 400, zh: '制卡结果有 {count} 处错误，未处理任何数据', en: 'The production results have {count} errors; nothing was processed' },
} as const;
