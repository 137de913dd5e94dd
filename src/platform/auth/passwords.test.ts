import { describe, expect, it } from 'vitest';
import { passwordProblem, randomPassword } from './passwords.ts';

describe('password policy', () => {
  it.each([
    ['Abc-12', undefined, 'PASSWORD_TOO_WEAK'],
    ['abcdefghijkl', undefined, 'PASSWORD_TOO_WEAK'],
    ['123456789012', undefined, 'PASSWORD_TOO_WEAK'],
    [`a1${'x'.repeat(199)}`, undefined, 'PASSWORD_TOO_WEAK'],
    ['liming2024!', 'liming', 'PASSWORD_CONTAINS_USERNAME'],
    ['LiMing-8888', 'liming', 'PASSWORD_CONTAINS_USERNAME'],
    ['password1234', undefined, 'PASSWORD_TOO_COMMON'],
    ['P@ssw0rd2026!', undefined, 'PASSWORD_TOO_COMMON'],
    ['2026cardflow', undefined, 'PASSWORD_TOO_COMMON'],
    ['Woaini520520', undefined, 'PASSWORD_TOO_COMMON'],
  ])('%s (user %s) → %s', (password, username, problem) => {
    expect(passwordProblem(password, username)).toBe(problem);
  });

  it.each([
    ['Admin-password-1', 'admin'],
    ['liming-counter-7', 'liming'],
    ['Hutang-counter-37', undefined],
    ['ab1', 'ab'],
  ])('%s (user %s) is fine', (password, username) => {
    expect(passwordProblem(password.length < 10 ? `${password}-long-enough` : password, username)).toBeNull();
  });

  it('generated passwords always pass', () => {
    for (let i = 0; i < 200; i++) expect(passwordProblem(randomPassword(), 'admin')).toBeNull();
  });
});
