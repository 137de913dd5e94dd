import { describe, expect, it } from 'vitest';
import { applicationNumber, checkApplicant, photoRequired, type ApplicantInput } from './rules.ts';
import { parseCsv, csvField } from './csv.ts';

const permit: ApplicantInput = {
  kind: 'NEW',
  name: '张三',
  citizenId: '110101199003070011',
  phone: '+86 138-0013-8000',
  sex: 'M',
  ethnicity: '01',
  birthDate: '1990-03-07',
  residenceAddress: '常州市武进区湖塘镇某路1号',
  basis: 'EMPLOYMENT',
};
const TODAY = '2026-11-22';

describe('checkApplicant', () => {
  it('normalises a good permit applicant', () => {
    const { value, problems } = checkApplicant('RESIDENCE_PERMIT', permit, TODAY);
    expect(problems).toEqual([]);
    expect(value).toMatchObject({ citizenId: '110101199003070011', phone: '13800138000', basis: 'EMPLOYMENT', bankOrgId: null });
  });
  it('sex and birth date must agree with the ID number', () => {
    const { problems } = checkApplicant('RESIDENCE_PERMIT', { ...permit, sex: 'F', birthDate: '1990-03-08' }, TODAY);
    expect(problems.map((p) => p.code)).toEqual(['APPLICANT_SEX_MISMATCH', 'APPLICANT_BIRTHDATE_MISMATCH']);
  });
  it('lists every problem at once', () => {
    const { value, problems } = checkApplicant('RESIDENCE_PERMIT', { ...permit, citizenId: '110101199003070012', phone: '12345', ethnicity: '57', basis: null }, TODAY);
    expect(value).toBeNull();
    expect(problems.map((p) => `${p.field}:${p.code}`)).toEqual(['citizenId:ID_CHECKSUM_INVALID', 'phone:PHONE_INVALID', 'ethnicity:APPLICATION_INVALID', 'basis:APPLICATION_INVALID']);
  });
  it('social security cards need a bank and no basis; PREFABRICATED only for them, ENDORSEMENT only for permits', () => {
    expect(checkApplicant('SOCIAL_SECURITY_CARD', { ...permit, basis: null, bankOrgId: null }, TODAY).problems.map((p) => p.field)).toEqual(['bankOrgId']);
    expect(checkApplicant('SOCIAL_SECURITY_CARD', { ...permit, bankOrgId: 'b' }, TODAY).problems.map((p) => p.field)).toEqual(['basis']);
    expect(checkApplicant('RESIDENCE_PERMIT', { ...permit, kind: 'PREFABRICATED' }, TODAY).problems.map((p) => p.field)).toEqual(['kind']);
    expect(checkApplicant('SOCIAL_SECURITY_CARD', { ...permit, kind: 'ENDORSEMENT', basis: null, bankOrgId: 'b' }, TODAY).problems.map((p) => p.field)).toEqual(['kind']);
  });
});

describe('photoRequired', () => {
  it('not for endorsements nor for social security cards of children under 7', () => {
    expect(photoRequired('RESIDENCE_PERMIT', 'NEW', '1990-03-07', TODAY)).toBe(true);
    expect(photoRequired('RESIDENCE_PERMIT', 'ENDORSEMENT', '1990-03-07', TODAY)).toBe(false);
    expect(photoRequired('SOCIAL_SECURITY_CARD', 'NEW', '2019-11-23', TODAY)).toBe(false);
    expect(photoRequired('SOCIAL_SECURITY_CARD', 'NEW', '2019-11-22', TODAY)).toBe(true);
  });
});

describe('application numbers and CSV', () => {
  it('formats RP-/SC- numbers', () => {
    expect(applicationNumber('RESIDENCE_PERMIT', '2026-11-22', 123)).toBe('RP-20261122-000123');
    expect(applicationNumber('SOCIAL_SECURITY_CARD', '2026-11-22', 1_234_567)).toBe('SC-20261122-1234567');
  });
  it('parses quoted fields with commas, quotes and line breaks, and names the starting line', () => {
    expect(parseCsv('\uFEFFa,b\r\n"x, ""y""",2\n"multi\nline",3\n\n')).toEqual([
      { line: 1, fields: ['a', 'b'] },
      { line: 2, fields: ['x, "y"', '2'] },
      { line: 3, fields: ['multi\nline', '3'] },
    ]);
  });
  it('neutralises spreadsheet formulas when writing', () => {
    expect(csvField('=1+1')).toBe("'=1+1");
    expect(csvField('a,b')).toBe('"a,b"');
  });
});
