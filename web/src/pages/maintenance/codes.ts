/** Codes the console offers in its filters and forms; test/maintenance/console-codes.test.ts holds them equal to the server's. */
export const ASSET_TYPES = [
  'DESKTOP_PC',
  'CARD_PRINTER',
  'FLATBED_PRINTER',
  'PIN_PAD_READER',
  'PHOTO_KIT',
  'FISCAL_DONGLE',
  'CARD_READER',
  'ID_CARD_READER',
  'REWRITABLE_DEVICE',
  'SCANNER',
  'USB_ADAPTER',
  'TRANSPORT_CARD_READER',
] as const;
export const SAM_TYPES: readonly string[] = ['CARD_PRINTER', 'PIN_PAD_READER', 'CARD_READER', 'REWRITABLE_DEVICE'];
export const ASSET_STATUSES = ['IN_SERVICE', 'FAULTY', 'IN_REPAIR', 'SPARE', 'RETIRED'] as const;
