import { and, asc, eq, gte, inArray, lt } from 'drizzle-orm';
import { can, type Principal } from '../../platform/auth/principal.ts';
import type { AppContext } from '../../platform/context.ts';
import { blindIndex } from '../../platform/crypto/blind-index.ts';
import { decryptField, encryptField } from '../../platform/crypto/field-cipher.ts';
import { maskName, maskPhone } from '../../platform/crypto/masking.ts';
import type { Queryable } from '../../platform/db/engine.ts';
import { AppError } from '../../platform/errors/app-error.ts';
import { normaliseMobile } from '../../platform/validators/phone.ts';
import { isWorkingDay, type WorkingCalendar } from '../calendar/rules.ts';
import { loadWorkingCalendar } from '../calendar/service.ts';
import { addDaysToDate, formatShanghai, shanghaiDate, shanghaiInstant } from '../calendar/zone.ts';
import { findUserByUsername, orgsByIds, userNamesByIds } from '../orgs/service.ts';
import { dueInstant, type Period } from './reports-rules.ts';
import { maintenanceContracts, maintenanceSites } from './schema.ts';
import { contractVisible, visibleContract } from './scope.ts';
import {
  attendanceOf,
  attendanceSummary,
  certificateProblems,
  certificateValidOn,
  checkInProblem,
  checkOutProblem,
  hhmm,
  minutesIn,
  postProblems,
  requirementProblems,
  staffedSlots,
  staffingCheck,
  uncovered,
  type AttendanceSummary,
  type CertificateFacts,
  type PostPattern,
  type StaffingRequirement,
} from './staff-rules.ts';
import { maintenanceEngineerCertificates, maintenanceEngineers, maintenancePosts, maintenanceShifts, maintenanceStaffing } from './staff-schema.ts';

/** Engineers, certificates, staffing requirement, posts, roster and attendance of a contract (issue 5 item 9). */

type ContractRow = typeof maintenanceContracts.$inferSelect;
type EngineerRow = typeof maintenanceEngineers.$inferSelect;
type PostRow = typeof maintenancePosts.$inferSelect;
type ShiftRow = typeof maintenanceShifts.$inferSelect;

/** How far ahead the roster is checked for hours nobody is rostered to. */
export const ROSTER_LOOKAHEAD_DAYS = 7;
const NAME_MAX = 20;

/** The maintainer keeps its team and roster. */
function mayManageTeam(principal: Principal, contract: ContractRow): boolean {
  return principal.type === 'USER' && principal.orgId === contract.maintainerOrgId && can(principal, 'ticket.work');
}

/** The client sets what the contract requires: minimum staffing and the posts to be staffed. */
function mayRequire(principal: Principal, contract: ContractRow): boolean {
  return principal.orgId !== contract.maintainerOrgId && can(principal, 'maintenance.manage');
}

function requireTeam(principal: Principal, contract: ContractRow): void {
  if (!mayManageTeam(principal, contract)) throw new AppError('STAFF_NOT_MAINTAINER');
}

async function calendar(ctx: AppContext): Promise<WorkingCalendar> {
  return loadWorkingCalendar(ctx);
}

// ---- engineers and certificates ----

async function certificatesOf(q: Queryable, engineerIds: readonly string[]) {
  if (engineerIds.length === 0) return new Map<string, (typeof maintenanceEngineerCertificates.$inferSelect)[]>();
  const rows = await q.select().from(maintenanceEngineerCertificates).where(inArray(maintenanceEngineerCertificates.engineerId, [...engineerIds])).orderBy(asc(maintenanceEngineerCertificates.issuedOn));
  const out = new Map<string, (typeof maintenanceEngineerCertificates.$inferSelect)[]>();
  for (const r of rows) out.set(r.engineerId, [...(out.get(r.engineerId) ?? []), r]);
  return out;
}

async function requirementOf(q: Queryable, contractId: string): Promise<StaffingRequirement | null> {
  const [row] = await q.select().from(maintenanceStaffing).where(eq(maintenanceStaffing.contractId, contractId));
  return row ? { minEngineers: row.minEngineers, certified: row.certified } : null;
}

/** The team of a contract with masked personal data, its requirement and whether it is met today. */
export async function contractStaff(ctx: AppContext, principal: Principal, contractId: string, now = new Date()) {
  const contract = await visibleContract(ctx, principal, contractId);
  const engineers = await ctx.db.orm.select().from(maintenanceEngineers).where(eq(maintenanceEngineers.contractId, contract.id)).orderBy(asc(maintenanceEngineers.createdAt));
  const certs = await certificatesOf(ctx.db.orm, engineers.map((e) => e.id));
  const users = await userNamesByIds(ctx, engineers.map((e) => e.userId));
  const today = shanghaiDate(now);
  const requirement = await requirementOf(ctx.db.orm, contract.id);
  const team = engineers.map((e) => ({ active: e.active, certificates: certs.get(e.id) ?? [] }));
  return {
    contractId: contract.id,
    contractName: contract.name,
    requirement,
    check: requirement ? staffingCheck(requirement, team, today) : null,
    mayManage: mayManageTeam(principal, contract),
    mayRequire: mayRequire(principal, contract),
    engineers: engineers.map((e) => ({
      id: e.id,
      userId: e.userId,
      username: e.userId ? (users.get(e.userId) ?? null) : null,
      nameMasked: e.nameMasked,
      phoneMasked: e.phoneMasked,
      active: e.active,
      certificates: (certs.get(e.id) ?? []).map((c) => ({ id: c.id, kind: c.kind, number: c.number, issuedOn: c.issuedOn, expiresOn: c.expiresOn, valid: certificateValidOn(c, today) })),
    })),
  };
}

export async function setStaffingRequirement(ctx: AppContext, principal: Principal, contractId: string, input: StaffingRequirement): Promise<void> {
  const requirement = { minEngineers: input.minEngineers, certified: input.certified.map((c) => ({ kind: c.kind.trim(), count: c.count })) };
  const problems = requirementProblems(requirement);
  if (problems.length > 0) throw new AppError('STAFF_REQUIREMENT_INVALID', { params: { reason: problems.join('; ') }, details: { problems } });
  const contract = await visibleContract(ctx, principal, contractId);
  if (!mayRequire(principal, contract)) throw new AppError('FORBIDDEN');
  await ctx.db.orm
    .insert(maintenanceStaffing)
    .values({ contractId: contract.id, ...requirement })
    .onConflictDoUpdate({ target: maintenanceStaffing.contractId, set: { ...requirement, updatedAt: new Date() } });
}

/** The console account of the maintainer with this username, or null for none. */
async function linkedUser(ctx: AppContext, contract: ContractRow, username: string | null): Promise<string | null> {
  if (username === null || username.trim() === '') return null;
  const user = await findUserByUsername(ctx, username.trim());
  if (!user || user.orgId !== contract.maintainerOrgId) throw new AppError('STAFF_ENGINEER_INVALID', { params: { reason: `${username.trim()} is not a user of the contract maintainer` } });
  return user.id;
}

function personal(ctx: AppContext, name: string, phone: string | null) {
  const trimmed = name.trim();
  if (trimmed === '' || [...trimmed].length > NAME_MAX) throw new AppError('STAFF_ENGINEER_INVALID', { params: { reason: `the name must have 1 to ${NAME_MAX} characters` } });
  const mobile = phone === null || phone.trim() === '' ? null : normaliseMobile(phone);
  return {
    nameEnc: encryptField(ctx.keyring, trimmed),
    nameMasked: maskName(trimmed),
    nameBidx: blindIndex(ctx.keyring, 'name', trimmed),
    phoneEnc: mobile ? encryptField(ctx.keyring, mobile) : null,
    phoneMasked: mobile ? maskPhone(mobile) : null,
    phoneBidx: mobile ? blindIndex(ctx.keyring, 'phone', mobile) : null,
  };
}

export async function addEngineer(ctx: AppContext, principal: Principal, input: { contractId: string; name: string; phone?: string | null; username?: string | null }): Promise<string> {
  const contract = await visibleContract(ctx, principal, input.contractId);
  requireTeam(principal, contract);
  const userId = await linkedUser(ctx, contract, input.username ?? null);
  if (userId) {
    const [taken] = await ctx.db.orm.select({ id: maintenanceEngineers.id }).from(maintenanceEngineers).where(and(eq(maintenanceEngineers.contractId, contract.id), eq(maintenanceEngineers.userId, userId)));
    if (taken) throw new AppError('STAFF_ENGINEER_INVALID', { params: { reason: 'this account is already linked to an engineer of the contract' } });
  }
  const [row] = await ctx.db.orm
    .insert(maintenanceEngineers)
    .values({ contractId: contract.id, userId, ...personal(ctx, input.name, input.phone ?? null) })
    .returning({ id: maintenanceEngineers.id });
  return row!.id;
}

async function engineerInView(ctx: AppContext, principal: Principal, id: string, q: Queryable = ctx.db.orm): Promise<{ engineer: EngineerRow; contract: ContractRow }> {
  const [row] = await q
    .select({ engineer: maintenanceEngineers, contract: maintenanceContracts })
    .from(maintenanceEngineers)
    .innerJoin(maintenanceContracts, eq(maintenanceContracts.id, maintenanceEngineers.contractId))
    .where(and(eq(maintenanceEngineers.id, id), contractVisible(ctx, principal, q)));
  if (!row) throw new AppError('NOT_FOUND');
  return row;
}

export async function updateEngineer(ctx: AppContext, principal: Principal, id: string, patch: { active?: boolean; phone?: string | null; username?: string | null }): Promise<{ contractId: string }> {
  const { engineer, contract } = await engineerInView(ctx, principal, id);
  requireTeam(principal, contract);
  const set: Partial<typeof maintenanceEngineers.$inferInsert> = { updatedAt: new Date() };
  if (patch.active !== undefined) set.active = patch.active;
  if (patch.username !== undefined) set.userId = await linkedUser(ctx, contract, patch.username);
  if (patch.phone !== undefined) {
    const p = personal(ctx, decryptField(ctx.keyring, engineer.nameEnc), patch.phone);
    Object.assign(set, { phoneEnc: p.phoneEnc, phoneMasked: p.phoneMasked, phoneBidx: p.phoneBidx });
  }
  await ctx.db.orm.update(maintenanceEngineers).set(set).where(eq(maintenanceEngineers.id, engineer.id));
  return { contractId: contract.id };
}

export async function addCertificate(ctx: AppContext, principal: Principal, engineerId: string, input: CertificateFacts): Promise<string> {
  const cert = { kind: input.kind.trim(), number: input.number.trim(), issuedOn: input.issuedOn, expiresOn: input.expiresOn };
  const problems = certificateProblems(cert);
  if (problems.length > 0) throw new AppError('STAFF_CERTIFICATE_INVALID', { params: { reason: problems.join('; ') }, details: { problems } });
  const { engineer, contract } = await engineerInView(ctx, principal, engineerId);
  requireTeam(principal, contract);
  const [row] = await ctx.db.orm
    .insert(maintenanceEngineerCertificates)
    .values({ engineerId: engineer.id, ...cert })
    .onConflictDoNothing()
    .returning({ id: maintenanceEngineerCertificates.id });
  if (!row) throw new AppError('STAFF_CERTIFICATE_INVALID', { params: { reason: `certificate ${cert.kind} ${cert.number} is already recorded` } });
  return row.id;
}

/** Unmasker: an engineer's name or phone for a principal who may see the contract. */
export function revealEngineerField(field: 'nameEnc' | 'phoneEnc') {
  return async (ctx: AppContext, principal: Principal, id: string): Promise<string | null> => {
    const { engineer } = await engineerInView(ctx, principal, id);
    const token = engineer[field];
    return token ? decryptField(ctx.keyring, token) : null;
  };
}

// ---- posts and roster ----

function postView(p: PostRow, siteName: string) {
  return { id: p.id, contractId: p.contractId, siteOrgId: p.siteOrgId, siteName, name: p.name, pattern: p.pattern, dayStart: hhmm(p.dayStartMinute), shiftHours: p.shiftMinutes / 60, active: p.active };
}

export async function createPost(ctx: AppContext, principal: Principal, input: { contractId: string; siteOrgId: string; name: string; pattern: PostPattern; dayStartMinute: number; shiftHours?: number }) {
  const shape = { pattern: input.pattern, dayStartMinute: input.dayStartMinute, shiftMinutes: (input.shiftHours ?? 8) * 60 };
  const problems = postProblems(shape);
  if (input.name.trim() === '') problems.push('the post needs a name');
  if (problems.length > 0) throw new AppError('STAFF_POST_INVALID', { params: { reason: problems.join('; ') }, details: { problems } });
  const contract = await visibleContract(ctx, principal, input.contractId);
  if (!mayRequire(principal, contract) && !mayManageTeam(principal, contract)) throw new AppError('FORBIDDEN');
  const [site] = await ctx.db.orm.select().from(maintenanceSites).where(and(eq(maintenanceSites.orgId, input.siteOrgId), eq(maintenanceSites.contractId, contract.id)));
  if (!site) throw new AppError('STAFF_POST_INVALID', { params: { reason: 'the site is not served by this contract' } });
  const [row] = await ctx.db.orm
    .insert(maintenancePosts)
    .values({ contractId: contract.id, siteOrgId: site.orgId, name: input.name.trim(), ...shape })
    .onConflictDoNothing()
    .returning();
  if (!row) throw new AppError('STAFF_POST_INVALID', { params: { reason: `the contract already has a post named ${input.name.trim()}` } });
  const names = await orgsByIds(ctx, [row.siteOrgId]);
  return postView(row, names.get(row.siteOrgId)?.name ?? '');
}

/** The staffed hours of a post from `from` through `to`; fails closed (CALENDAR_YEAR_UNPUBLISHED) for a 5×8 post in an unpublished year. */
function slotsOf(cal: WorkingCalendar, p: PostRow, from: string, to: string) {
  return staffedSlots(p, from, to, (day) => isWorkingDay(cal, day));
}

function shiftView(s: ShiftRow, post: PostRow, engineer: EngineerRow, now: Date, principal: Principal) {
  const a = attendanceOf({ start: s.startsAt, end: s.endsAt, checkInAt: s.checkInAt, checkOutAt: s.checkOutAt }, now);
  return {
    id: s.id,
    postId: post.id,
    postName: post.name,
    engineerId: engineer.id,
    engineerNameMasked: engineer.nameMasked,
    startsAt: s.startsAt.toISOString(),
    endsAt: s.endsAt.toISOString(),
    startsAtLocal: formatShanghai(s.startsAt),
    endsAtLocal: formatShanghai(s.endsAt),
    checkInAt: s.checkInAt?.toISOString() ?? null,
    checkOutAt: s.checkOutAt?.toISOString() ?? null,
    checkInAtLocal: s.checkInAt ? formatShanghai(s.checkInAt) : null,
    checkOutAtLocal: s.checkOutAt ? formatShanghai(s.checkOutAt) : null,
    state: a.state,
    late: a.late,
    lateMinutes: a.lateMinutes,
    mine: principal.type === 'USER' && engineer.userId === principal.id,
  };
}

/**
 * Posts of a contract, the roster of `from`..`to` (default: today and the week after) with attendance,
 * and per post the staffed hours in that range nobody is rostered to. The default range also holds a
 * slot that began yesterday and is still running (a 7×24 night shift after midnight): it is the one
 * the people on site are working now.
 */
export async function contractRoster(ctx: AppContext, principal: Principal, input: { contractId: string; from?: string; to?: string }, now = new Date()) {
  const contract = await visibleContract(ctx, principal, input.contractId);
  const from = input.from ?? shanghaiDate(now);
  const to = input.to ?? addDaysToDate(from, ROSTER_LOOKAHEAD_DAYS);
  if (to < from || to > addDaysToDate(from, 62)) throw new AppError('STAFF_SHIFT_INVALID', { params: { reason: 'the range must run forwards and cover at most 62 days' } });
  const posts = await ctx.db.orm.select().from(maintenancePosts).where(eq(maintenancePosts.contractId, contract.id)).orderBy(asc(maintenancePosts.name));
  const engineers = await ctx.db.orm.select().from(maintenanceEngineers).where(eq(maintenanceEngineers.contractId, contract.id));
  const byEngineer = new Map(engineers.map((e) => [e.id, e]));
  const shifts = posts.length
    ? await ctx.db.orm
        .select()
        .from(maintenanceShifts)
        .where(and(inArray(maintenanceShifts.postId, posts.map((p) => p.id)), gte(maintenanceShifts.endsAt, shanghaiInstant(from, 0)), lt(maintenanceShifts.startsAt, dueInstant(to))))
        .orderBy(asc(maintenanceShifts.startsAt))
    : [];
  const cal = await calendar(ctx);
  const names = await orgsByIds(ctx, posts.map((p) => p.siteOrgId));
  return {
    contractId: contract.id,
    from,
    to,
    mayRoster: mayManageTeam(principal, contract),
    mayCreatePost: mayManageTeam(principal, contract) || mayRequire(principal, contract),
    posts: posts.map((p) => {
      const carried = input.from ? [] : slotsOf(cal, p, addDaysToDate(from, -1), addDaysToDate(from, -1)).filter((slot) => slot.end > now);
      const slots = [...carried, ...slotsOf(cal, p, from, to)];
      const gaps = uncovered(
        slots,
        shifts.filter((s) => s.postId === p.id).map((s) => ({ start: s.startsAt, end: s.endsAt })),
      );
      return {
        ...postView(p, names.get(p.siteOrgId)?.name ?? ''),
        slots: slots.map((s) => ({ startsAt: s.start.toISOString(), endsAt: s.end.toISOString(), startsAtLocal: formatShanghai(s.start), endsAtLocal: formatShanghai(s.end) })),
        uncoveredMinutes: minutesIn(gaps),
        uncovered: gaps.map((g) => ({ startsAtLocal: formatShanghai(g.start), endsAtLocal: formatShanghai(g.end) })),
      };
    }),
    shifts: shifts.map((s) => shiftView(s, posts.find((p) => p.id === s.postId)!, byEngineer.get(s.engineerId)!, now, principal)),
    engineers: engineers.filter((e) => e.active).map((e) => ({ id: e.id, nameMasked: e.nameMasked })),
  };
}

/** Rosters an engineer to one of the post's staffed slots, named by its start. */
export async function addShift(ctx: AppContext, principal: Principal, input: { postId: string; engineerId: string; startsAt: string }): Promise<string> {
  const [found] = await ctx.db.orm
    .select({ post: maintenancePosts, contract: maintenanceContracts })
    .from(maintenancePosts)
    .innerJoin(maintenanceContracts, eq(maintenanceContracts.id, maintenancePosts.contractId))
    .where(and(eq(maintenancePosts.id, input.postId), contractVisible(ctx, principal)));
  if (!found) throw new AppError('NOT_FOUND');
  requireTeam(principal, found.contract);
  const start = new Date(input.startsAt);
  if (Number.isNaN(start.getTime())) throw new AppError('STAFF_SHIFT_INVALID', { params: { reason: 'startsAt is not a time' } });
  const [engineer] = await ctx.db.orm.select().from(maintenanceEngineers).where(and(eq(maintenanceEngineers.id, input.engineerId), eq(maintenanceEngineers.contractId, found.contract.id)));
  if (!engineer?.active) throw new AppError('STAFF_SHIFT_INVALID', { params: { reason: 'the engineer is not an active engineer of this contract' } });
  const day = shanghaiDate(start);
  const cal = await calendar(ctx);
  // A 7×24 slot may have started the day before and run past midnight.
  const slot = slotsOf(cal, found.post, addDaysToDate(day, -1), day).find((s) => s.start.getTime() === start.getTime());
  if (!slot) throw new AppError('STAFF_SHIFT_INVALID', { params: { reason: `${formatShanghai(start)} is not the start of a staffed shift of post ${found.post.name}` } });
  if (day < found.contract.termStart || day > found.contract.termEnd) throw new AppError('STAFF_SHIFT_INVALID', { params: { reason: 'the shift is outside the contract term' } });
  const clash = await ctx.db.orm
    .select({ id: maintenanceShifts.id })
    .from(maintenanceShifts)
    .where(and(eq(maintenanceShifts.engineerId, engineer.id), lt(maintenanceShifts.startsAt, slot.end), gte(maintenanceShifts.endsAt, new Date(slot.start.getTime() + 1))));
  if (clash.length > 0) throw new AppError('STAFF_SHIFT_INVALID', { params: { reason: 'the engineer already has a shift at that time' } });
  const [row] = await ctx.db.orm
    .insert(maintenanceShifts)
    .values({ postId: found.post.id, engineerId: engineer.id, startsAt: slot.start, endsAt: slot.end })
    .onConflictDoNothing()
    .returning({ id: maintenanceShifts.id });
  if (!row) throw new AppError('STAFF_SHIFT_TAKEN');
  return row.id;
}

/** The shifts of the engineers linked to my account from yesterday to a week ahead: the phone check-in page. */
export async function myShifts(ctx: AppContext, principal: Principal, now = new Date()) {
  const engineers = await ctx.db.orm.select().from(maintenanceEngineers).where(eq(maintenanceEngineers.userId, principal.id));
  if (engineers.length === 0) return { items: [] };
  const rows = await ctx.db.orm
    .select({ shift: maintenanceShifts, post: maintenancePosts })
    .from(maintenanceShifts)
    .innerJoin(maintenancePosts, eq(maintenancePosts.id, maintenanceShifts.postId))
    .where(
      and(
        inArray(maintenanceShifts.engineerId, engineers.map((e) => e.id)),
        gte(maintenanceShifts.endsAt, new Date(now.getTime() - 86_400_000)),
        lt(maintenanceShifts.startsAt, new Date(now.getTime() + ROSTER_LOOKAHEAD_DAYS * 86_400_000)),
      ),
    )
    .orderBy(asc(maintenanceShifts.startsAt));
  const byId = new Map(engineers.map((e) => [e.id, e]));
  const names = await orgsByIds(ctx, rows.map((r) => r.post.siteOrgId));
  return { items: rows.map((r) => ({ ...shiftView(r.shift, r.post, byId.get(r.shift.engineerId)!, now, principal), siteName: names.get(r.post.siteOrgId)?.name ?? '' })) };
}

/** Check-in or check-out by the engineer of the shift, at the server's clock. */
export async function recordAttendance(ctx: AppContext, principal: Principal, shiftId: string, action: 'IN' | 'OUT', now = new Date()) {
  return ctx.db.orm.transaction(async (tx) => {
    const [row] = await tx
      .select({ shift: maintenanceShifts, engineer: maintenanceEngineers, post: maintenancePosts })
      .from(maintenanceShifts)
      .innerJoin(maintenanceEngineers, eq(maintenanceEngineers.id, maintenanceShifts.engineerId))
      .innerJoin(maintenancePosts, eq(maintenancePosts.id, maintenanceShifts.postId))
      .where(eq(maintenanceShifts.id, shiftId))
      .for('update');
    if (!row) throw new AppError('NOT_FOUND');
    if (principal.type !== 'USER' || row.engineer.userId !== principal.id) throw new AppError('ATTENDANCE_NOT_YOURS');
    const facts = { start: row.shift.startsAt, end: row.shift.endsAt, checkInAt: row.shift.checkInAt, checkOutAt: row.shift.checkOutAt };
    const problem = action === 'IN' ? checkInProblem(facts, now) : checkOutProblem(facts, now);
    if (problem) throw new AppError('ATTENDANCE_INVALID', { params: { reason: problem } });
    const [updated] = await tx
      .update(maintenanceShifts)
      .set(action === 'IN' ? { checkInAt: now } : { checkOutAt: now })
      .where(eq(maintenanceShifts.id, shiftId))
      .returning();
    return shiftView(updated!, row.post, row.engineer, now, principal);
  });
}

// ---- monitoring and reports ----

/**
 * For monitoring: contracts whose staffing requirement is not met today, and posts with a staffed slot
 * running now that nobody is rostered to.
 */
export async function staffWarnings(ctx: AppContext, now = new Date()): Promise<{ contractsUnderstaffed: number; postsUncoveredNow: number }> {
  const today = shanghaiDate(now);
  const requirements = await ctx.db.orm
    .select({ staffing: maintenanceStaffing })
    .from(maintenanceStaffing)
    .innerJoin(maintenanceContracts, eq(maintenanceContracts.id, maintenanceStaffing.contractId))
    .where(and(gte(maintenanceContracts.termEnd, today)));
  let contractsUnderstaffed = 0;
  for (const { staffing } of requirements) {
    const engineers = await ctx.db.orm.select().from(maintenanceEngineers).where(eq(maintenanceEngineers.contractId, staffing.contractId));
    const certs = await certificatesOf(ctx.db.orm, engineers.map((e) => e.id));
    const check = staffingCheck({ minEngineers: staffing.minEngineers, certified: staffing.certified }, engineers.map((e) => ({ active: e.active, certificates: certs.get(e.id) ?? [] })), today);
    if (!check.met) contractsUnderstaffed++;
  }
  const posts = await ctx.db.orm
    .select({ post: maintenancePosts })
    .from(maintenancePosts)
    .innerJoin(maintenanceContracts, eq(maintenanceContracts.id, maintenancePosts.contractId))
    .where(and(eq(maintenancePosts.active, true), gte(maintenanceContracts.termEnd, today)));
  let postsUncoveredNow = 0;
  if (posts.length > 0) {
    let cal: WorkingCalendar | null = null;
    const current = await ctx.db.orm
      .select({ postId: maintenanceShifts.postId })
      .from(maintenanceShifts)
      .where(and(lt(maintenanceShifts.startsAt, new Date(now.getTime() + 1)), gte(maintenanceShifts.endsAt, new Date(now.getTime() + 1))));
    const rostered = new Set(current.map((c) => c.postId));
    for (const { post } of posts) {
      if (rostered.has(post.id)) continue;
      cal ??= await calendar(ctx);
      try {
        const running = slotsOf(cal, post, addDaysToDate(today, -1), today).some((s) => s.start <= now && now < s.end);
        if (running) postsUncoveredNow++;
      } catch {
        // A 5×8 post in an unpublished year: the calendar alert already says so.
      }
    }
  }
  return { contractsUnderstaffed, postsUncoveredNow };
}

/** The staff-attendance section of a report, or null when the contract has no posts. */
export async function reportAttendance(q: Queryable, cal: WorkingCalendar, contractId: string, period: Period, asOf: Date): Promise<AttendanceSummary | null> {
  const posts = await q.select().from(maintenancePosts).where(eq(maintenancePosts.contractId, contractId));
  if (posts.length === 0) return null;
  const from = shanghaiInstant(period.start, 0);
  const to = dueInstant(period.end);
  const shifts = await q
    .select()
    .from(maintenanceShifts)
    .where(and(inArray(maintenanceShifts.postId, posts.map((p) => p.id)), gte(maintenanceShifts.startsAt, from), lt(maintenanceShifts.startsAt, to)));
  const slots = posts.filter((p) => p.active).flatMap((p) => slotsOf(cal, p, period.start, period.end).map((slot) => ({ postId: p.id, slot })));
  return attendanceSummary(
    posts.length,
    slots,
    shifts.map((s) => ({ postId: s.postId, start: s.startsAt, end: s.endsAt, checkInAt: s.checkInAt, checkOutAt: s.checkOutAt })),
    asOf,
  );
}
