/** Error messages of the production module (batches, packages, keys). */
export const PRODUCTION_MESSAGES = {
  BATCH_PRODUCER_INVALID: { status: 400, zh: '所选制卡单位不是本项目的制卡单位', en: 'The producer does not make cards for this programme' },
  PRODUCER_OUT_OF_REGION: {
    status: 409,
    zh: '制卡单位所在地（{region}）不在本项目规定的制作区域（{prefix}）内，不能下达制卡任务',
    en: 'The producer site ({region}) is outside the region production must stay in ({prefix}); no batch was created',
  },
  BATCH_NOTHING_WAITING: { status: 409, zh: '当前没有待制卡的申请', en: 'No applications are waiting for production' },
} as const;
