/** Error messages of the logistics module (shipments, receipt, issuance, loss). */
export const LOGISTICS_MESSAGES = {
  // shipments
  SHIPMENT_CARDS_REQUIRED: { status: 400, zh: '请选择要发出的卡片（cardIds 或 cardNos）', en: 'Name the cards to ship (cardIds or cardNos)' },
  SHIPMENT_CARDS_INVALID: {
    status: 409,
    zh: '有 {count} 张卡片不能装入发往该机构的包裹，请核对后重试（详见明细）',
    en: '{count} cards cannot go into a shipment to this organisation; see the details',
  },
  SHIPMENT_ALREADY_RECEIVED: { status: 409, zh: '该包裹已确认签收，不能再扫描或修改', en: 'This shipment has been received; it can no longer be scanned or changed' },

  // receipt
  SCAN_CARD_NO_INVALID: { status: 400, zh: '扫描的卡号无效（应为 6–32 位字母或数字）', en: 'The scanned card number is not valid (6–32 letters or digits)' },
  SCAN_BULK_EMPTY: { status: 400, zh: '扫描文件中没有卡号', en: 'The scan file holds no card numbers' },
  SCAN_BULK_TOO_MANY: { status: 400, zh: '一次最多导入 {max} 个卡号，请分批导入', en: 'At most {max} card numbers can be imported at once; split the file' },
  SCAN_BULK_INVALID: {
    status: 400,
    zh: '扫描文件中有 {count} 行不是有效卡号（应为 6–32 位字母或数字），未导入任何卡号（详见明细）',
    en: '{count} lines of the scan file are not card numbers (6–32 letters or digits); nothing was imported (see the details)',
  },
  SCAN_NOT_MATCHED: { status: 409, zh: '只有清单内的卡片才能标记为损坏', en: 'Only cards on the manifest can be marked damaged' },
  DISCREPANCY_ALREADY_ANSWERED: { status: 409, zh: '该差异已答复', en: 'This discrepancy has already been answered' },

  // issuance
  CARD_NOT_RECEIVED: { status: 409, zh: '该卡片尚未签收（当前状态 {status}），不能发放', en: 'The card has not been received (it is {status}); it cannot be handed over' },
  IDENTITY_CHECK_REQUIRED: { status: 400, zh: '发放前须核验领卡人身份', en: 'Check the identity of the person collecting the card first' },
  AGENT_NAME_REQUIRED: { status: 400, zh: '代领须填写代领人姓名', en: 'Collection by an agent needs the agent name' },
  CARD_NOT_SOCIAL_SECURITY: { status: 409, zh: '只有社会保障卡需要激活', en: 'Only social security cards are activated' },
  CARD_NOT_ISSUED: { status: 409, zh: '该卡片尚未发放（当前状态 {status}），不能办理此业务', en: 'The card has not been issued (it is {status})' },
  CARD_LOSS_ALREADY_REPORTED: { status: 409, zh: '该卡片已办理过此类挂失', en: 'This kind of loss has already been reported for the card' },
  CARD_NOT_LOST: { status: 409, zh: '该卡片未处于临时挂失状态，无需解挂', en: 'The card is not temporarily reported lost; there is nothing to lift' },
  LOSS_FORMAL_NOT_LIFTABLE: { status: 409, zh: '正式挂失不能解除，请为持卡人办理补领', en: 'A formal loss cannot be lifted; the holder needs a replacement card' },
  APPLICATION_NOT_PREFABRICATED: { status: 409, zh: '该申请不是预制卡申请，不能现场发放预制卡', en: 'This is not a prefabricated card application' },
  APPLICATION_NOT_MATCHED: { status: 409, zh: '该申请尚未完成银行匹配（当前状态 {status}），不能发卡', en: 'The application is not bank-matched (it is {status}); no card can be issued' },
  PREFAB_CARD_NO_INVALID: { status: 400, zh: '卡号应为 6–32 位字母或数字', en: 'The card number must have 6–32 letters or digits' },
  PREFAB_CHIP_UID_INVALID: { status: 400, zh: '芯片序列号应为 8–32 位十六进制字符', en: 'The chip UID must have 8–32 hexadecimal digits' },
  PREFAB_CARD_NO_TAKEN: { status: 409, zh: '卡号 {cardNo} 已被本项目的其他卡片使用', en: 'The card number {cardNo} is already used in this programme' },
} as const;
