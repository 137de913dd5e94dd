import { AppError } from '../../platform/errors/app-error.ts';
import { parseCitizenId } from '../../platform/validators/citizen-id.ts';
import { normaliseMobile } from '../../platform/validators/phone.ts';
import type { ProgrammeKind } from '../programmes/schema.ts';
import { readJpeg, type JpegInfo } from './jpeg.ts';
import type { ApplicationKind, Basis } from './schema.ts';

/** Photo specification (domain.md §2): 358 × 441 px JPEG of about 15–100 KB. */
export const PHOTO_SPEC = { width: 358, height: 441, minBytes: 15 * 1024, maxBytes: 100 * 1024 } as const;

function photoSizeError(actual: string): AppError {
  return new AppError('PHOTO_SIZE_INVALID', {
    params: { width: PHOTO_SPEC.width, height: PHOTO_SPEC.height, minKb: PHOTO_SPEC.minBytes / 1024, maxKb: PHOTO_SPEC.maxBytes / 1024, actual },
  });
}

/** @throws AppError PHOTO_NOT_JPEG, PHOTO_SIZE_INVALID */
export function checkPhoto(bytes: Uint8Array): JpegInfo {
  const info = readJpeg(bytes);
  if (!info) throw new AppError('PHOTO_NOT_JPEG');
  if (bytes.length < PHOTO_SPEC.minBytes || bytes.length > PHOTO_SPEC.maxBytes) throw photoSizeError(`${(bytes.length / 1024).toFixed(1)} KB`);
  if (info.width !== PHOTO_SPEC.width || info.height !== PHOTO_SPEC.height) throw photoSizeError(`${info.width}×${info.height}`);
  return info;
}

export const ETHNICITY = /^(0[1-9]|[1-4][0-9]|5[0-6]|97|98)$/;

export interface ApplicantInput {
  kind: ApplicationKind;
  name: string;
  citizenId: string;
  phone: string;
  sex: 'M' | 'F';
  ethnicity: string;
  birthDate: string;
  hukouAddress?: string | null;
  residenceAddress?: string | null;
  basis?: Basis | null;
  bankOrgId?: string | null;
}

export interface NormalisedApplicant {
  kind: ApplicationKind;
  name: string;
  citizenId: string;
  phone: string;
  sex: 'M' | 'F';
  ethnicity: string;
  birthDate: string;
  hukouAddress: string | null;
  residenceAddress: string | null;
  basis: Basis | null;
  bankOrgId: string | null;
}

export interface FieldProblem {
  field: string;
  code: string;
  message?: string;
}

const NAME = /^[\p{L}\p{M}·•・. -]{1,50}$/u;

/**
 * Every problem with one applicant for a programme of the given kind, field by field (an import lists
 * them all), and the normalised values when there are none. Pure: bank membership is checked by the service.
 */
export function checkApplicant(cardKind: ProgrammeKind, input: ApplicantInput, today?: string): { value: NormalisedApplicant | null; problems: FieldProblem[] } {
  const problems: FieldProblem[] = [];
  const invalid = (field: string, message: string) => problems.push({ field, code: 'APPLICATION_INVALID', message });
  const name = input.name.trim().normalize('NFC');
  if (!NAME.test(name)) invalid('name', 'name must be 1–50 letters (· allowed)');
  if (input.kind === 'PREFABRICATED' && cardKind !== 'SOCIAL_SECURITY_CARD') invalid('kind', 'PREFABRICATED is for social security cards only');
  if (input.kind === 'ENDORSEMENT' && cardKind !== 'RESIDENCE_PERMIT') invalid('kind', 'ENDORSEMENT is for residence permits only');
  let citizenId = '';
  try {
    const parsed = parseCitizenId(input.citizenId, today ? { today } : {});
    citizenId = parsed.id;
    if (parsed.sex !== input.sex) problems.push({ field: 'sex', code: 'APPLICANT_SEX_MISMATCH' });
    if (parsed.birthDate !== input.birthDate) problems.push({ field: 'birthDate', code: 'APPLICANT_BIRTHDATE_MISMATCH' });
  } catch (err) {
    if (!(err instanceof AppError)) throw err;
    problems.push({ field: 'citizenId', code: err.code });
  }
  let phone = '';
  try {
    phone = normaliseMobile(input.phone);
  } catch (err) {
    if (!(err instanceof AppError)) throw err;
    problems.push({ field: 'phone', code: err.code });
  }
  if (input.sex !== 'M' && input.sex !== 'F') invalid('sex', 'sex must be M or F');
  if (!ETHNICITY.test(input.ethnicity)) invalid('ethnicity', 'ethnicity must be a GB/T 3304 code (01–56, 97, 98)');
  const address = (field: string, v: string | null | undefined) => {
    const t = v?.trim() ?? '';
    if (t.length > 100) invalid(field, `${field} must be at most 100 characters`);
    return t === '' ? null : t;
  };
  const hukouAddress = address('hukouAddress', input.hukouAddress);
  const residenceAddress = address('residenceAddress', input.residenceAddress);
  if (cardKind === 'RESIDENCE_PERMIT') {
    if (!input.basis) invalid('basis', 'basis (EMPLOYMENT, RESIDENCE or STUDY) is required for a residence permit');
    if (!residenceAddress) invalid('residenceAddress', 'residenceAddress is required for a residence permit');
    if (input.bankOrgId) invalid('bankOrgId', 'bankOrgId is for social security cards only');
  } else {
    if (input.basis) invalid('basis', 'basis is for residence permits only');
    if (!input.bankOrgId) invalid('bankOrgId', 'bankOrgId is required for a social security card');
  }
  if (problems.length) return { value: null, problems };
  return {
    value: {
      kind: input.kind,
      name,
      citizenId,
      phone,
      sex: input.sex,
      ethnicity: input.ethnicity,
      birthDate: input.birthDate,
      hukouAddress,
      residenceAddress,
      basis: cardKind === 'RESIDENCE_PERMIT' ? (input.basis ?? null) : null,
      bankOrgId: cardKind === 'SOCIAL_SECURITY_CARD' ? (input.bankOrgId ?? null) : null,
    },
    problems,
  };
}

/** Whether a counter application must carry a photo: not for an endorsement, nor a social security card of a child under 7 (logo). */
export function photoRequired(cardKind: ProgrammeKind, kind: ApplicationKind, birthDate: string, today: string): boolean {
  if (kind === 'ENDORSEMENT') return false;
  if (cardKind === 'SOCIAL_SECURITY_CARD') {
    const seventh = `${String(Number(birthDate.slice(0, 4)) + 7).padStart(4, '0')}${birthDate.slice(4)}`;
    if (today < seventh) return false;
  }
  return true;
}

/** RP-20261122-000123 / SC-…: programme kind, Shanghai date of intake, sequence number. */
export function applicationNumber(cardKind: ProgrammeKind, shanghaiDate: string, seq: number): string {
  return `${cardKind === 'RESIDENCE_PERMIT' ? 'RP' : 'SC'}-${shanghaiDate.replace(/-/g, '')}-${String(seq).padStart(6, '0')}`;
}
