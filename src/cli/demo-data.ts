import { checkDigit } from '../platform/validators/citizen-id.ts';
import { luhnCheckDigit } from '../platform/validators/bank-account.ts';

/** A small deterministic generator, so the same `--seed` always builds the same demo city. */
export function rng(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

const pick = <T>(r: () => number, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;

const SURNAMES = ['王', '李', '张', '刘', '陈', '杨', '黄', '赵', '吴', '周', '徐', '孙', '马', '朱', '胡', '郭', '何', '高', '林', '罗', '郑', '梁', '谢', '宋', '唐', '许', '韩', '冯', '邓', '曹', '欧阳', '司马'];
const GIVEN = ['伟', '芳', '娜', '敏', '静', '丽', '强', '磊', '军', '洋', '勇', '艳', '杰', '娟', '涛', '明', '超', '秀英', '霞', '平', '刚', '桂英', '建华', '文', '华', '玉兰', '志强', '晓东', '雪梅', '子涵', '浩然', '欣怡', '梓轩', '雨桐', '俊杰'];
// Where people moving to Changzhou or Foshan come from: GB/T 2260 county codes of their hukou.
const HOMETOWNS: readonly [string, string][] = [
  ['340104', '安徽省合肥市蜀山区'],
  ['341203', '安徽省阜阳市颍东区'],
  ['411402', '河南省商丘市梁园区'],
  ['420106', '湖北省武汉市武昌区'],
  ['510107', '四川省成都市武侯区'],
  ['430102', '湖南省长沙市芙蓉区'],
  ['360102', '江西省南昌市东湖区'],
  ['450103', '广西壮族自治区南宁市青秀区'],
  ['522601', '贵州省黔东南苗族侗族自治州凯里市'],
  ['370102', '山东省济南市历下区'],
];
const STREETS = ['人民路', '和平路', '解放路', '建设路', '中山路', '长江路', '延陵西路', '湖塘大道', '花园街', '新华路'];
const ETHNICITIES: readonly [string, number][] = [
  ['01', 0.9],
  ['03', 0.03],
  ['05', 0.02],
  ['08', 0.02],
  ['11', 0.03],
];

const DAYS_SPAN = 14_600;

export interface DemoPerson {
  name: string;
  citizenId: string;
  sex: 'M' | 'F';
  birthDate: string;
  ethnicity: string;
  phone: string;
  hukouAddress: string;
  residenceAddress: string;
}

/** A plausible applicant: the ID number agrees with sex and birth date and has a valid check digit. */
export function demoPerson(r: () => number, n: number, residenceCity: string): DemoPerson {
  const [region, hometown] = pick(r, HOMETOWNS);
  // Birth date and sequence number come from n so that no two people ever share an ID number: the
  // day is a permutation of n over 40 years (7,919 is coprime to 14,600), the sequence counts the laps.
  const day = (n * 7919) % DAYS_SPAN;
  const born = new Date(Date.UTC(1965, 0, 1) + day * 86_400_000);
  const birthDate = born.toISOString().slice(0, 10);
  const sex: 'M' | 'F' = r() < 0.5 ? 'M' : 'F';
  // The sequence number's last digit is odd for men and even for women.
  const seq = (Math.floor(n / DAYS_SPAN) % 500) * 2 + (sex === 'M' ? 1 : 0);
  const body = `${region}${birthDate.replace(/-/g, '')}${String(seq).padStart(3, '0')}`;
  let e = r();
  let ethnicity = '01';
  for (const [code, share] of ETHNICITIES) {
    if (e < share) {
      ethnicity = code;
      break;
    }
    e -= share;
  }
  return {
    name: pick(r, SURNAMES) + pick(r, GIVEN),
    citizenId: body + checkDigit(body),
    sex,
    birthDate,
    ethnicity,
    phone: `1${pick(r, ['35', '36', '38', '39', '50', '51', '58', '77', '86', '88'])}${String(Math.floor(r() * 1e8)).padStart(8, '0')}`,
    hukouAddress: `${hometown}${pick(r, STREETS)}${1 + Math.floor(r() * 300)}号`,
    residenceAddress: `${residenceCity}${pick(r, STREETS)}${1 + Math.floor(r() * 300)}号${1 + Math.floor(r() * 30)}幢${101 + Math.floor(r() * 1500)}室`,
  };
}

/** A bank account number of 19 digits with a valid Luhn check digit (UnionPay debit style). */
export function demoBankAccount(r: () => number): string {
  const body = '622848' + String(Math.floor(r() * 1e12)).padStart(12, '0');
  return body + luhnCheckDigit(body);
}

/** Changzhou's districts for the maintenance SLA: the old city and the new district urban, the rest suburban. */
export const DEMO_ZONES = [
  { regionCode: '320402', district: '天宁区', zone: 'URBAN' },
  { regionCode: '320404', district: '钟楼区', zone: 'URBAN' },
  { regionCode: '320411', district: '新北区', zone: 'URBAN' },
  { regionCode: '320412', district: '武进区', zone: 'SUBURBAN' },
  { regionCode: '320413', district: '金坛区', zone: 'SUBURBAN' },
  { regionCode: '320481', district: '溧阳市', zone: 'SUBURBAN' },
] as const;

/** The devices of every demo outlet (seed 001 table 1); `sam` marks those that hold a SAM card. */
export const DEMO_ASSETS = [
  { type: 'DESKTOP_PC', prefix: 'PC', model: '联想启天 M437', sam: false },
  { type: 'CARD_READER', prefix: 'CR', model: '德卡 T10', sam: true },
  { type: 'ID_CARD_READER', prefix: 'IDR', model: '华视 CVR-100U', sam: false },
  { type: 'PHOTO_KIT', prefix: 'PK', model: '佳能 EOS 200D 采集套件', sam: false },
] as const;

type DemoTicketAction = 'ACKNOWLEDGE' | 'ARRIVE' | 'WAIT' | 'RESOLVE' | 'CLOSE';

/**
 * Fault tickets of the week of 16 November 2026 (ordinary working days), each at the outlet of its
 * clerk. Outlets of 武进 are suburban (3 working hours to answer), the others urban (2 hours). The one
 * at 三井 is acknowledged late; the one at 河海 is never answered; the one at 天宁, reported on Friday
 * afternoon, is still new (due 10:00 on Monday 23 November).
 */
export const DEMO_TICKETS: readonly {
  clerk: string;
  assetType: string;
  category: string;
  description: string;
  openedAt: string;
  steps: readonly { action: DemoTicketAction; at: string; note?: string }[];
}[] = [
  {
    clerk: 'clerk1',
    assetType: 'CARD_READER',
    category: '硬件故障',
    description: '读卡机无法识别居住证芯片，重启无效',
    openedAt: '2026-11-16T09:30:00+08:00',
    steps: [
      { action: 'ACKNOWLEDGE', at: '2026-11-16T10:05:00+08:00' },
      { action: 'ARRIVE', at: '2026-11-16T11:20:00+08:00' },
      { action: 'RESOLVE', at: '2026-11-16T14:10:00+08:00', note: '更换读卡模块，已测试' },
      { action: 'CLOSE', at: '2026-11-16T15:00:00+08:00' },
    ],
  },
  {
    clerk: 'clerk4',
    assetType: 'DESKTOP_PC',
    category: '网络故障',
    description: '受理电脑无法连接政务外网',
    openedAt: '2026-11-12T15:00:00+08:00',
    steps: [],
  },
  {
    clerk: 'clerk3',
    assetType: 'DESKTOP_PC',
    category: '网络故障',
    description: '专线中断，申请无法上传',
    openedAt: '2026-11-17T09:00:00+08:00',
    steps: [
      { action: 'ACKNOWLEDGE', at: '2026-11-17T13:30:00+08:00', note: '工程师外出，响应延误' },
      { action: 'ARRIVE', at: '2026-11-17T15:00:00+08:00' },
    ],
  },
  {
    clerk: 'clerk5',
    assetType: 'PHOTO_KIT',
    category: '硬件故障',
    description: '采集相机无法对焦，照片模糊',
    openedAt: '2026-11-18T14:00:00+08:00',
    steps: [
      { action: 'ACKNOWLEDGE', at: '2026-11-18T14:20:00+08:00' },
      { action: 'ARRIVE', at: '2026-11-18T15:10:00+08:00' },
      { action: 'WAIT', at: '2026-11-18T15:40:00+08:00', note: '等待更换镜头' },
    ],
  },
  {
    clerk: 'clerk2',
    assetType: 'ID_CARD_READER',
    category: '软件故障',
    description: '身份证读卡器驱动报错',
    openedAt: '2026-11-19T10:00:00+08:00',
    steps: [
      { action: 'ACKNOWLEDGE', at: '2026-11-19T10:30:00+08:00' },
      { action: 'RESOLVE', at: '2026-11-19T11:15:00+08:00', note: '远程重装驱动' },
    ],
  },
  {
    clerk: 'clerk6',
    assetType: 'CARD_READER',
    category: '硬件故障',
    description: '读卡机指示灯不亮',
    openedAt: '2026-11-20T16:00:00+08:00',
    steps: [],
  },
  {
    clerk: 'ssc_clerk1',
    assetType: 'CARD_READER',
    category: '硬件故障',
    description: '社保卡读卡失败率高',
    openedAt: '2026-11-19T09:00:00+08:00',
    steps: [
      { action: 'ACKNOWLEDGE', at: '2026-11-19T09:20:00+08:00' },
      { action: 'ARRIVE', at: '2026-11-19T11:00:00+08:00' },
      { action: 'RESOLVE', at: '2026-11-19T15:30:00+08:00', note: '清洁触点并更换 SAM 卡座' },
    ],
  },
];
