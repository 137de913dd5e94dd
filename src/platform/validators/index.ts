export * from './citizen-id.ts';
export * from './credit-code.ts';
export * from './phone.ts';
export * from './region.ts';
