import { CARD_MESSAGES } from '../../modules/cards/messages.ts';
import { PRODUCTION_MESSAGES } from '../../modules/production/messages.ts';
import { LOGISTICS_MESSAGES } from '../../modules/logistics/messages.ts';
import { REPORT_MESSAGES } from '../../modules/reports/messages.ts';
import { NOTIFY_MESSAGES } from '../../modules/notify/messages.ts';
import { MAINTENANCE_MESSAGES } from '../../modules/maintenance/messages.ts';
import { SETTLEMENT_MESSAGES } from '../../modules/settlement/messages.ts';
import { OPS_MESSAGES } from '../../modules/ops/messages.ts';

/**
 * Every error code the API can answer with, its HTTP status and the message a clerk reads.
 * Codes are stable: clients and tests match on them, so never rename one.
 */
const coreMessages = {
  // request shape
  VALIDATION_FAILED: { status: 400, zh: '提交的数据不符合要求：{reason}', en: 'The submitted data is not valid: {reason}' },
  MALFORMED_JSON: { status: 400, zh: '请求内容不是有效的 JSON', en: 'The request body is not valid JSON' },
  UNSUPPORTED_MEDIA_TYPE: { status: 415, zh: '不支持的内容类型', en: 'Unsupported content type' },
  PAYLOAD_TOO_LARGE: { status: 413, zh: '提交的内容过大', en: 'The request body is too large' },
  NOT_FOUND: { status: 404, zh: '未找到所请求的资源', en: 'The requested resource was not found' },
  ROUTE_NOT_FOUND: { status: 404, zh: '接口不存在：{method} {url}', en: 'No such endpoint: {method} {url}' },
  RATE_LIMITED: { status: 429, zh: '请求过于频繁，请稍后再试', en: 'Too many requests, please try again later' },
  INTERNAL_ERROR: { status: 500, zh: '系统内部错误，请联系管理员（请求编号 {requestId}）', en: 'Internal error, please contact the administrator (request {requestId})' },
  CONFLICT: { status: 409, zh: '数据已被修改或已存在：{reason}', en: 'Conflict: {reason}' },

  // authentication and access
  AUTH_REQUIRED: { status: 401, zh: '请先登录', en: 'Please sign in first' },
  AUTH_SESSION_EXPIRED: { status: 401, zh: '登录已过期，请重新登录', en: 'Your session has expired, please sign in again' },
  AUTH_INVALID_CREDENTIALS: { status: 401, zh: '用户名或密码错误', en: 'Wrong user name or password' },
  AUTH_ACCOUNT_LOCKED: { status: 423, zh: '密码错误次数过多，账户已锁定，请于 {until} 后再试', en: 'Too many failed sign-ins; the account is locked until {until}' },
  AUTH_ACCOUNT_DISABLED: { status: 403, zh: '账户已停用', en: 'This account is disabled' },
  AUTH_CSRF_INVALID: { status: 403, zh: '页面已失效，请刷新后重试', en: 'The page is out of date (CSRF check failed); reload and try again' },
  AUTH_API_KEY_INVALID: { status: 401, zh: 'API 密钥无效或已被吊销', en: 'The API key is invalid or has been revoked' },
  FORBIDDEN: { status: 403, zh: '没有执行此操作的权限', en: 'You do not have permission to do this' },
  OUT_OF_SCOPE: { status: 404, zh: '未找到所请求的资源', en: 'The requested resource was not found' },
  PASSWORD_TOO_WEAK: { status: 400, zh: '密码至少 {min} 位，且须包含字母和数字', en: 'The password must have at least {min} characters with letters and digits' },
  PASSWORD_CONTAINS_USERNAME: { status: 400, zh: '密码不能以用户名为主体：去掉用户名后须仍有至少 6 个字符', en: 'The password must not be built on the user name: without it, at least 6 characters must remain' },
  PASSWORD_TOO_COMMON: { status: 400, zh: '该密码过于常见，容易被猜中，请换一个', en: 'This password is too common and easily guessed; choose another' },
  UNMASK_REASON_REQUIRED: { status: 400, zh: '查看完整信息须填写事由（至少 {min} 个字）', en: 'A reason of at least {min} characters is required to reveal personal data' },

  // organisations and users
  ORG_PARENT_INVALID: { status: 400, zh: '上级机构不允许：{reason}', en: 'Parent organisation not allowed: {reason}' },
  ORG_REGION_REQUIRED: { status: 400, zh: '该类型机构必须填写行政区划代码', en: 'This kind of organisation needs a region code' },
  ORG_HAS_CHILDREN: { status: 409, zh: '该机构下还有下级机构或用户，不能删除', en: 'The organisation still has sub-organisations or users' },
  USERNAME_TAKEN: { status: 409, zh: '用户名 {username} 已被使用', en: 'The user name {username} is already taken' },
  ROLE_NOT_ALLOWED: { status: 400, zh: '角色 {role} 不能授予 {kind} 类机构的用户', en: 'Role {role} cannot be given to a user of a {kind} organisation' },

  // validators
  ID_FORMAT_INVALID: { status: 400, zh: '身份证号码格式不正确（应为 18 位，末位可为 X）', en: 'The citizen ID number must have 18 characters (the last may be X)' },
  ID_CHECKSUM_INVALID: { status: 400, zh: '身份证号码校验位不正确，请核对', en: 'The citizen ID number check digit is wrong; please check the number' },
  ID_PROVINCE_INVALID: { status: 400, zh: '身份证号码前两位不是有效的省级代码', en: 'The first two digits of the citizen ID are not a valid province code' },
  ID_BIRTHDATE_INVALID: { status: 400, zh: '身份证号码中的出生日期无效', en: 'The birth date inside the citizen ID number is not a valid date' },
  PHONE_INVALID: { status: 400, zh: '手机号码不正确（应为 11 位大陆手机号）', en: 'The mobile number is not valid (11-digit mainland number expected)' },
  CREDIT_CODE_INVALID: { status: 400, zh: '统一社会信用代码校验不通过', en: 'The unified social credit code fails its check' },
  REGION_CODE_INVALID: { status: 400, zh: '行政区划代码 {code} 不存在', en: 'Region code {code} does not exist' },

  // calendar
  CALENDAR_YEAR_UNPUBLISHED: { status: 409, zh: '{year} 年的节假日安排尚未发布，无法计算工作日期限', en: 'The holiday calendar for {year} is not published; working-day deadlines cannot be computed' },
  CALENDAR_DAY_INVALID: { status: 400, zh: '日期 {date} 的设置无效：{reason}', en: 'Invalid calendar entry for {date}: {reason}' },
  CALENDAR_IMPORT_INVALID: { status: 400, zh: '日历文件有 {count} 处错误，未导入任何数据', en: 'The calendar file has {count} errors; nothing was imported' },

  // programmes
  PROGRAMME_INVALID: { status: 400, zh: '制证项目设置不正确：{reason}', en: 'Invalid programme settings: {reason}' },

  // applications
  APPLICATION_DUPLICATE: { status: 409, zh: '该申请人在本项目中已有未办结的申请（{applicationNo}），不能重复受理', en: 'This applicant already has an open application in this programme ({applicationNo})' },
  APPLICATION_INVALID: { status: 400, zh: '申请信息不符合要求：{reason}', en: 'The application is not valid: {reason}' },
  APPLICANT_SEX_MISMATCH: { status: 400, zh: '性别与身份证号码不一致', en: 'The sex does not match the citizen ID number' },
  APPLICANT_BIRTHDATE_MISMATCH: { status: 400, zh: '出生日期与身份证号码不一致', en: 'The birth date does not match the citizen ID number' },
  PHOTO_NOT_JPEG: { status: 400, zh: '照片须为 JPEG 格式', en: 'The photo must be a JPEG image' },
  PHOTO_SIZE_INVALID: {
    status: 400,
    zh: '照片不符合规格：须为 {width}×{height} 像素、{minKb}–{maxKb} KB（当前 {actual}）',
    en: 'The photo does not meet the specification: {width}×{height} px and {minKb}–{maxKb} KB required (got {actual})',
  },
  PHOTO_REQUIRED: { status: 400, zh: '请上传申请人照片', en: 'A photo of the applicant is required' },
  APPLICATION_STATE_INVALID: { status: 409, zh: '申请当前状态为 {from}，不能执行 {action}', en: 'The application is {from}; {action} is not possible' },
  APPLICATION_IMPORT_INVALID: { status: 400, zh: '导入文件有 {count} 处错误，未导入任何数据', en: 'The import file has {count} errors; nothing was imported' },
  TRACK_NOT_FOUND: {
    status: 404,
    zh: '未查询到该申请，请核对申请编号和身份证号码后六位',
    en: 'No application found; please check the application number and the last 6 characters of the ID number',
  },
  REJECTION_REASON_UNKNOWN: { status: 400, zh: '退回原因代码无效或已停用：{codes}', en: 'Unknown or inactive rejection reason codes: {codes}' },

  // keys and audit
  KEY_NOT_FOUND: { status: 500, zh: '找不到加密密钥 {keyId}', en: 'Encryption key {keyId} not found' },
  CIPHERTEXT_TAMPERED: { status: 500, zh: '加密数据校验失败，可能已被篡改', en: 'Encrypted data failed its integrity check' },
} as const;

export const messages = {
  ...coreMessages,
  ...CARD_MESSAGES,
  ...PRODUCTION_MESSAGES,
  ...LOGISTICS_MESSAGES,
  ...REPORT_MESSAGES,
  ...NOTIFY_MESSAGES,
  ...MAINTENANCE_MESSAGES,
  ...SETTLEMENT_MESSAGES,
  ...OPS_MESSAGES,
} as const satisfies Record<string, { status: number; zh: string; en: string }>;

export type ErrorCode = keyof typeof messages;
