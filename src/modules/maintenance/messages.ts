/** Error messages of the maintenance module (sites, contracts, asset ledger, fault tickets, breaches). */
export const MAINTENANCE_MESSAGES = {
  // contracts, zones and sites
  MAINTENANCE_CONTRACT_INVALID: { status: 400, zh: '运维合同设置不正确：{reason}', en: 'Invalid maintenance contract settings: {reason}' },
  MAINTENANCE_ZONE_TABLE_INVALID: { status: 400, zh: '区域对照表不正确：{reason}', en: 'Invalid zone table: {reason}' },
  MAINTENANCE_ZONE_UNKNOWN: {
    status: 409,
    zh: '行政区划 {regionCode} 不在合同的区域对照表中，请为网点指定市区或郊区',
    en: 'Region {regionCode} is not in the contract zone table; set the outlet zone explicitly',
  },
  MAINTENANCE_SITE_INVALID: { status: 400, zh: '网点运维信息不正确：{reason}', en: 'Invalid outlet maintenance settings: {reason}' },
  MAINTENANCE_SITE_NOT_REGISTERED: {
    status: 409,
    zh: '该机构尚未登记为运维网点（未指定运维合同和营业时间）',
    en: 'This organisation is not registered as a maintained outlet (no contract or opening hours)',
  },

  // asset ledger
  ASSET_INVALID: { status: 400, zh: '设备信息不正确：{reason}', en: 'Invalid asset: {reason}' },
  ASSET_SERIAL_TAKEN: { status: 409, zh: '序列号 {serial} 已登记在设备台帐中', en: 'Serial number {serial} is already in the equipment ledger' },
  ASSET_IMPORT_INVALID: { status: 400, zh: '设备台帐文件有 {count} 行错误，未导入任何设备（详见明细）', en: 'The ledger file has {count} bad rows; nothing was imported (see the details)' },

  // tickets
  TICKET_ASSET_OTHER_SITE: { status: 409, zh: '所选设备不属于报修网点', en: 'The asset does not belong to the outlet that reports the fault' },
  TICKET_STATE_INVALID: { status: 409, zh: '工单当前状态为 {from}，不能执行 {action}', en: 'The ticket is {from}; {action} is not possible' },
  TICKET_EVENT_OUT_OF_ORDER: {
    status: 409,
    zh: '时间 {at} 早于工单上一次状态变更（{last}），不能倒序登记',
    en: 'The time {at} is before the ticket last changed ({last}); changes cannot be recorded out of order',
  },
  TICKET_EVENT_IN_FUTURE: { status: 400, zh: '时间 {at} 晚于当前时间', en: 'The time {at} is in the future' },
  TICKET_NO_CONTRACT: { status: 409, zh: '该网点在 {date} 没有有效的运维合同，不能报修', en: 'The outlet has no maintenance contract in force on {date}' },

  // monthly preventive visits
  VISIT_MONTH_INVALID: { status: 400, zh: '月份 {month} 不正确，应为 YYYY-MM', en: 'The month {month} is not valid; use YYYY-MM' },
  VISIT_MONTH_OUTSIDE_TERM: { status: 409, zh: '{month} 不在运维合同期内（{termStart} 至 {termEnd}）', en: '{month} is outside the contract term ({termStart} to {termEnd})' },
  VISIT_ENGINEER_INVALID: { status: 400, zh: '指派的工程师不是该合同运维单位的在岗工程师', en: 'The assigned engineer is not an active engineer of the contract maintainer' },
  VISIT_ANSWER_INVALID: { status: 400, zh: '巡检项填写不正确：{reason}', en: 'Invalid checklist answer: {reason}' },
  VISIT_ITEMS_UNANSWERED: { status: 409, zh: '还有 {count} 项巡检内容未填写，不能签字确认', en: '{count} checklist items are not answered yet; the form cannot be signed' },
  VISIT_SIGNATURE_EMPTY: { status: 400, zh: '签名为空，请网点工作人员在签名框内签字', en: 'The signature is empty; the outlet staff member must sign in the box' },
  VISIT_SIGNATURE_INVALID: { status: 400, zh: '签名图片不正确：{reason}', en: 'Invalid signature image: {reason}' },
  VISIT_STATE_INVALID: { status: 409, zh: '维护单已签字确认，不能再修改', en: 'The form is already signed and can no longer change' },
  VISIT_NOT_ASSIGNED: { status: 403, zh: '只有被指派的工程师或运维单位可以填写此维护单', en: 'Only the assigned engineer or the maintainer may fill in this form' },
} as const;
