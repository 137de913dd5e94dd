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

  // weekly, monthly and annual reports
  MAINTENANCE_REPORT_PERIOD_INVALID: { status: 400, zh: '报告期间不正确：{reason}', en: 'Invalid report period: {reason}' },
  MAINTENANCE_REPORT_OUTSIDE_TERM: { status: 409, zh: '{date} 不在运维合同期内（{termStart} 至 {termEnd}）', en: '{date} is outside the contract term ({termStart} to {termEnd})' },
  MAINTENANCE_REPORT_STATE_INVALID: { status: 409, zh: '报告当前状态为 {status}，不能执行 {action}', en: 'The report is {status}; {action} is not possible' },
  MAINTENANCE_REPORT_SELF_REVIEW: { status: 409, zh: '报告不能由提交人本人审核', en: 'A report cannot be reviewed by the person who submitted it' },
  MAINTENANCE_REPORT_SETTINGS_INVALID: { status: 400, zh: '报告设置不正确：{reason}', en: 'Invalid report settings: {reason}' },

  // spare parts
  SPARE_DEPOT_INVALID: { status: 400, zh: '备件库设置不正确：{reason}', en: 'Invalid spare-parts depot: {reason}' },
  SPARE_RATIO_INVALID: { status: 400, zh: '备品备件比例不正确：{reason}', en: 'Invalid spare-parts shares: {reason}' },
  SPARE_NOT_IN_STOCK: { status: 409, zh: '所选备件不在备件库中（可能已在使用）', en: 'The chosen spare is not in stock at a depot (it may already be in service)' },
  SPARE_ASSET_NOT_IN_SERVICE: { status: 409, zh: '被替换的设备不在网点使用中', en: 'The asset to replace is not at work at an outlet' },
  SPARE_TYPE_MISMATCH: { status: 409, zh: '备件类型（{spareType}）与被替换设备类型（{assetType}）不同', en: 'The spare ({spareType}) is not of the type of the asset it would replace ({assetType})' },
  SPARE_OTHER_CONTRACT: { status: 409, zh: '备件与被替换设备不属于同一运维合同', en: 'The spare and the asset it would replace belong to different maintenance contracts' },
  SPARE_TICKET_MISMATCH: { status: 409, zh: '所选工单不是该设备或其网点的故障工单', en: 'The ticket is not a fault ticket of this asset or its outlet' },
  SPARE_RESTOCK_INVALID: { status: 409, zh: '设备当前状态为 {status}，不能入备件库', en: 'An asset that is {status} cannot be taken into stock' },

  // daily inspections of the core system
  INSPECTION_TEMPLATE_INVALID: { status: 400, zh: '巡检项目表不正确：{reason}', en: 'Invalid inspection list: {reason}' },
  INSPECTION_SITE_NOT_CORE: { status: 409, zh: '该站点不是核心系统站点，不做日常巡检', en: 'This site is not a core-system site; it has no daily inspection' },
  INSPECTION_DAY_INVALID: { status: 409, zh: '{day} 不能巡检：{reason}', en: 'No inspection on {day}: {reason}' },
  INSPECTION_ANSWER_INVALID: { status: 400, zh: '巡检结果填写不正确：{reason}', en: 'Invalid inspection result: {reason}' },
  INSPECTION_ITEMS_UNANSWERED: { status: 409, zh: '还有 {count} 项巡检内容未填写，不能签字', en: '{count} inspection items are not answered yet; the round cannot be signed' },
  INSPECTION_SIGNED: { status: 409, zh: '巡检记录已签字，不能再修改', en: 'The inspection record is signed and can no longer change' },
  INSPECTION_NOT_MAINTAINER: { status: 403, zh: '只有该合同运维单位的工程师可以填写巡检记录', en: 'Only engineers of the contract maintainer may fill in inspection records' },
  INSPECTION_RANGE_INVALID: { status: 400, zh: '日期范围不正确：{reason}', en: 'Invalid date range: {reason}' },

  // engineers, posts, shifts and attendance
  STAFF_NOT_MAINTAINER: { status: 403, zh: '只有该合同运维单位的工程师可以维护人员和排班', en: 'Only engineers of the contract maintainer may keep its team and roster' },
  STAFF_ENGINEER_INVALID: { status: 400, zh: '工程师信息不正确：{reason}', en: 'Invalid engineer: {reason}' },
  STAFF_CERTIFICATE_INVALID: { status: 400, zh: '资质证书不正确：{reason}', en: 'Invalid certificate: {reason}' },
  STAFF_REQUIREMENT_INVALID: { status: 400, zh: '人员配置要求不正确：{reason}', en: 'Invalid staffing requirement: {reason}' },
  STAFF_POST_INVALID: { status: 400, zh: '驻场岗位设置不正确：{reason}', en: 'Invalid post: {reason}' },
  STAFF_SHIFT_INVALID: { status: 409, zh: '不能排班：{reason}', en: 'The shift cannot be rostered: {reason}' },
  STAFF_SHIFT_TAKEN: { status: 409, zh: '该岗位的这个班次已排有工程师', en: 'This shift of the post already has an engineer' },
  ATTENDANCE_NOT_YOURS: { status: 403, zh: '只能为本人的班次签到或签退', en: 'You can only check in to or out of your own shifts' },
  ATTENDANCE_INVALID: { status: 409, zh: '不能签到或签退：{reason}', en: 'Check-in or check-out not possible: {reason}' },

  // ticket photos
  TICKET_PHOTO_INVALID: { status: 400, zh: '照片不正确：{reason}（仅支持 JPEG 或 PNG 图片）', en: 'Invalid photo: {reason} (JPEG or PNG images only)' },
  TICKET_PHOTO_TOO_LARGE: { status: 400, zh: '照片超过 {maxKb} KB，请压缩后再上传', en: 'The photo is larger than {maxKb} KB; shrink it and upload again' },
  TICKET_PHOTO_LIMIT: { status: 409, zh: '每张工单最多 {max} 张照片', en: 'A ticket holds at most {max} photos' },

  // repair events (seed 002 §3.2(4))
  REPAIR_INVALID: { status: 400, zh: '维修费用记录不正确：{reason}', en: 'Invalid repair record: {reason}' },
  REPAIR_NOT_MAINTAINER: { status: 403, zh: '只有该合同运维单位的人员可以登记维修费用', en: 'Only the maintainer of the contract records repair costs' },
  REPAIR_TICKET_OTHER_CONTRACT: { status: 409, zh: '该工单不属于所选运维合同', en: 'The ticket does not belong to the chosen maintenance contract' },
  REPAIR_OWN_RECORD: { status: 403, zh: '不能确认或异议本单位登记的维修费用，须由合同另一方处理', en: 'A repair cost recorded by your own organisation is confirmed or disputed by the other party' },
  REPAIR_NOT_AUTHORITY: { status: 403, zh: '只有该合同的发包单位（甲方）可以确认或异议维修费用', en: 'Only the authority of the contract confirms or disputes repair costs' },
  REPAIR_DECIDED: { status: 409, zh: '该维修费用已经确认或提出异议（{status}），不能再次处理', en: 'This repair cost has already been confirmed or disputed ({status})' },
} as const;
