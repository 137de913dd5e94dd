/** Error messages of the cards module (card states, bank matching, production results). */
export const CARD_MESSAGES = {
  CARD_STATE_INVALID: { status: 409, zh: '卡片当前状态为 {from}，不能执行 {action}', en: 'The card is {from}; {action} is not possible' },
} as const;
