/** Console texts for production results and bank matching. The en-US table must have exactly the same keys (checked by tsc). */
export const cardsZh = {} as const;

export const cardsEn: Record<keyof typeof cardsZh, string> = {};
