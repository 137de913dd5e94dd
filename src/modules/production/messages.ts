/** Error messages of the production module (batches, packages, keys). */
export const PRODUCTION_MESSAGES = {
  BATCH_PRODUCER_INVALID: { status: 400, zh: '所选制卡单位不是本项目的制卡单位', en: 'The producer does not make cards for this programme' },
  PRODUCER_OUT_OF_REGION: {
    status: 409,
    zh: '制卡单位所在地（{region}）不在本项目规定的制作区域（{prefix}）内，不能下达制卡任务',
    en: 'The producer site ({region}) is outside the region production must stay in ({prefix}); no batch was created',
  },
  BATCH_NOTHING_WAITING: { status: 409, zh: '当前没有待制卡的申请', en: 'No applications are waiting for production' },
  PACKAGE_KEY_SM2_INVALID: { status: 400, zh: 'SM2 公钥无效：须为 04 开头的 130 位十六进制未压缩公钥，且在 SM2 曲线上', en: 'Invalid SM2 public key: it must be 130 hex digits starting with 04 (uncompressed) and lie on the SM2 curve' },
  PACKAGE_KEY_RETIRED: { status: 409, zh: '该数据包密钥已停用', en: 'This package key is already retired' },
  PACKAGE_KEY_MISSING: { status: 409, zh: '制卡单位还没有启用的数据包密钥，请先在“数据包密钥”中创建或登记', en: 'The producer has no active package key; create or register one under Package keys first' },
  PACKAGE_LINK_EXPIRED: { status: 410, zh: '下载链接已过期（{expiresAt}），请重新生成', en: 'The download link expired at {expiresAt}; create a new one' },
  PACKAGE_LINK_EXHAUSTED: { status: 410, zh: '下载链接已达到最多下载次数（{maxDownloads} 次），请重新生成', en: 'The download link was used its maximum {maxDownloads} times; create a new one' },
  PACKAGE_DESTROYED: { status: 410, zh: '该批次的制卡数据已于 {destroyedAt} 按规定销毁，不能再下载', en: 'The production data of this batch was destroyed at {destroyedAt} as required; it can no longer be downloaded' },
  BATCH_RULE_EXISTS: { status: 409, zh: '该项目对该制卡单位已有批次规则，请修改原规则', en: 'A batch rule for this programme and producer already exists; edit it instead' },
  BATCH_RULE_TRIGGER_REQUIRED: { status: 400, zh: '请至少设置“每天定时”或“待制卡达到数量”之一', en: 'Set a daily time or a waiting count (or both)' },
} as const;
