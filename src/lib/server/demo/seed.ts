import { eq } from 'drizzle-orm';
import type { Db } from '../db/client';
import { departments, organizations, people, personRoles, supervisedDepartments, type EmploymentType, type Role } from '../db/schema';
import { hashPassword } from '../auth/password';
import { fiscalYearOf } from '../../format/wareki';

export const demoPassword = 'mamori-demo';
export const demoOrgSlug = 'hokuto';

interface DemoDepartment {
	code: string;
	name: string;
	children?: DemoDepartment[];
}

const demoDepartments: DemoDepartment[] = [
	{
		code: '100',
		name: '総務部',
		children: [
			{ code: '110', name: '総務課' },
			{ code: '120', name: '情報政策課', children: [{ code: '121', name: '情報システム係' }] },
			{ code: '130', name: '職員課' }
		]
	},
	{
		code: '200',
		name: '市民部',
		children: [
			{ code: '210', name: '市民課', children: [{ code: '211', name: '窓口係' }] },
			{ code: '220', name: '税務課' }
		]
	},
	{
		code: '300',
		name: '福祉部',
		children: [
			{ code: '310', name: '福祉課' },
			{ code: '320', name: '介護支援課' }
		]
	},
	{ code: '400', name: '産業観光部', children: [{ code: '410', name: '商工観光課' }] },
	{ code: '500', name: '建設部', children: [{ code: '510', name: '建設課' }] }
];

interface DemoPerson {
	number: string;
	name: string;
	kana: string;
	department: string;
	type: EmploymentType;
	title?: string;
	roles?: Role[];
	supervises?: string[];
	/** Only the demo-* accounts can log in. */
	login?: boolean;
	/** A 委託事業者's company and contract, over the current 年度. */
	contract?: { company: string; name: string };
}

export const demoPeople: DemoPerson[] = [
	{ number: 'demo-admin', name: '北杜 管理', kana: 'ホクト カンリ', department: '121', type: 'regular', title: '主査', roles: ['admin'], login: true },
	{
		number: 'demo-owner',
		name: '八ヶ岳 政策',
		kana: 'ヤツガタケ セイサク',
		department: '120',
		type: 'regular',
		title: '情報セキュリティ管理者',
		roles: ['policy_owner'],
		login: true
	},
	{
		number: 'demo-approver',
		name: '甲斐 統括',
		kana: 'カイ トウカツ',
		department: '100',
		type: 'regular',
		title: '総務部長（CISO）',
		roles: ['approver'],
		supervises: ['100'],
		login: true
	},
	{
		number: 'demo-chief',
		name: '清里 課長',
		kana: 'キヨサト カチョウ',
		department: '210',
		type: 'regular',
		title: '市民課長',
		roles: ['supervisor'],
		supervises: ['210'],
		login: true
	},
	{ number: 'demo-staff', name: '小淵沢 花子', kana: 'コブチザワ ハナコ', department: '211', type: 'regular', title: '主事', login: true },
	{ number: 'demo-parttime', name: '白州 さくら', kana: 'ハクシュウ サクラ', department: '211', type: 'fiscal_year', title: '会計年度任用職員', login: true },
	{
		number: 'demo-contractor',
		name: '武川 太郎',
		kana: 'ムカワ タロウ',
		department: '121',
		type: 'contractor',
		title: '委託事業者（保守）',
		login: true,
		contract: { company: '八ヶ岳情報サービス株式会社', name: '基幹系システム保守業務委託' }
	},
	{
		number: '1001',
		name: '長坂 一郎',
		kana: 'ナガサカ イチロウ',
		department: '110',
		type: 'regular',
		title: '総務課長',
		roles: ['supervisor'],
		supervises: ['110']
	},
	{ number: '1002', name: '須玉 次郎', kana: 'スタマ ジロウ', department: '110', type: 'regular', title: '主任' },
	{ number: '1003', name: '高根 美咲', kana: 'タカネ ミサキ', department: '130', type: 'regular', title: '主事' },
	{ number: '1004', name: '明野 健', kana: 'アケノ ケン', department: '220', type: 'regular', title: '税務課長', roles: ['supervisor'], supervises: ['220'] },
	{ number: '1005', name: '大泉 陽子', kana: 'オオイズミ ヨウコ', department: '220', type: 'fiscal_year', title: '会計年度任用職員' },
	{ number: '1006', name: '穴山 修', kana: 'アナヤマ オサム', department: '310', type: 'reappointed', title: '再任用職員' },
	{ number: '1007', name: '日野春 愛', kana: 'ヒノハル アイ', department: '320', type: 'dispatched', title: '派遣職員' },
	{ number: '1008', name: '韮崎 誠', kana: 'ニラサキ マコト', department: '410', type: 'regular', title: '主査' },
	{ number: '1009', name: '若神子 翔', kana: 'ワカミコ ショウ', department: '510', type: 'regular', title: '技師' },
	{ number: '1010', name: '信濃 由美', kana: 'シナノ ユミ', department: '211', type: 'fiscal_year', title: '会計年度任用職員' },
	{
		number: 'C-2001',
		name: '甲府システム株式会社 山田 学',
		kana: 'コウフシステム ヤマダ マナブ',
		department: '121',
		type: 'contractor',
		title: '委託事業者',
		contract: { company: '甲府システム株式会社', name: '庁内ネットワーク運用支援業務委託' }
	}
];

/** Seeds Hokuto City's demo organisation once; a second call changes nothing. */
export async function seedDemo(db: Db): Promise<{ created: boolean; orgId: string }> {
	const [existing] = await db.select({ id: organizations.id }).from(organizations).where(eq(organizations.slug, demoOrgSlug));
	if (existing) return { created: false, orgId: existing.id };

	const passwordHash = await hashPassword(demoPassword);
	const fiscalYear = fiscalYearOf(new Date());
	return db.transaction(async (tx) => {
		const [org] = await tx.insert(organizations).values({ slug: demoOrgSlug, name: '北杜市', nameEn: 'Hokuto City' }).returning({ id: organizations.id });
		const orgId = org.id;

		const idByCode = new Map<string, string>();
		const insertTree = async (nodes: DemoDepartment[], parentId: string | null) => {
			for (const [i, node] of nodes.entries()) {
				const [row] = await tx
					.insert(departments)
					.values({ orgId, parentId, code: node.code, name: node.name, sortOrder: i })
					.returning({ id: departments.id });
				idByCode.set(node.code, row.id);
				if (node.children) await insertTree(node.children, row.id);
			}
		};
		await insertTree(demoDepartments, null);

		for (const p of demoPeople) {
			const [row] = await tx
				.insert(people)
				.values({
					orgId,
					employeeNumber: p.number,
					name: p.name,
					nameKana: p.kana,
					departmentId: idByCode.get(p.department)!,
					employmentType: p.type,
					title: p.title ?? '',
					email: p.login ? `${p.number}@example.invalid` : '',
					passwordHash: p.login ? passwordHash : null,
					mustChangePassword: !p.login,
					contractorCompany: p.contract?.company ?? '',
					contractName: p.contract?.name ?? '',
					contractStart: p.contract ? `${fiscalYear}-04-01` : null,
					contractEnd: p.contract ? `${fiscalYear + 1}-03-31` : null
				})
				.returning({ id: people.id });
			for (const role of p.roles ?? []) await tx.insert(personRoles).values({ orgId, personId: row.id, role });
			for (const code of p.supervises ?? []) {
				await tx.insert(supervisedDepartments).values({ orgId, personId: row.id, departmentId: idByCode.get(code)! });
			}
		}
		return { created: true, orgId };
	});
}
