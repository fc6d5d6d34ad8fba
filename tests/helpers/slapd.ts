// An OpenLDAP server of the test's own (Debian's slapd), in a temporary directory on a free port,
// with a small town hall's tree: OUs for departments, inetOrgPerson entries for staff, a
// read-only service account for searches, groups for employment types (memberOf is kept by the
// overlay). The test may stop and start it at will. `destroy()` stops it and removes its
// directory, and so does the test process's exit: no slapd is left behind.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Attribute, Change, Client } from 'ldapts';
import { freePort } from './private-postgres';

export const slapdBinary = process.env.SLAPD_PATH ?? '/usr/sbin/slapd';
export const baseDn = 'dc=town,dc=test';
export const rootDn = `cn=admin,${baseDn}`;
const rootPassword = 'root-secret';
export const readerDn = `cn=mamori-reader,ou=service,${baseDn}`;
export const readerPassword = 'reader-secret';
export const departmentsDn = `ou=部署,${baseDn}`;
export const groupsDn = `ou=groups,${baseDn}`;

export interface TestPerson {
	/** 職員番号, held in employeeNumber. */
	number: string;
	name: string;
	kana?: string;
	mail?: string;
	/** The OU path from the top department down, e.g. ['総務部', '総務課']. */
	ous: string[];
	password: string;
	employeeType?: string;
	disabled?: boolean;
	title?: string;
}

export interface TestDepartment {
	ous: string[];
	/** The 所属コード, held in the OU's businessCategory. */
	code: string;
}

export interface Slapd {
	url: string;
	port: number;
	/** The server's own output, for a failure report. */
	log(): string;
	stop(): Promise<void>;
	start(): Promise<void>;
	destroy(): Promise<void>;
	/** A client bound as the directory's administrator, for changing the tree mid-test. */
	admin<T>(work: (client: Client) => Promise<T>): Promise<T>;
	addPerson(person: TestPerson): Promise<void>;
	addDepartment(department: TestDepartment): Promise<void>;
	movePerson(number: string, from: string[], to: string[]): Promise<void>;
	setAttribute(number: string, ous: string[], attribute: string, values: string[]): Promise<void>;
	removePerson(number: string, ous: string[]): Promise<void>;
	addToGroup(group: string, number: string, ous: string[]): Promise<void>;
}

export const ouDn = (ous: string[]) => [...[...ous].reverse().map((ou) => `ou=${ou}`), departmentsDn].join(',');
export const personDn = (number: string, ous: string[]) => `uid=${number},${ouDn(ous)}`;
export const groupDn = (name: string) => `cn=${name},${groupsDn}`;

export const sampleDepartments: TestDepartment[] = [
	{ ous: ['総務部'], code: '100' },
	{ ous: ['総務部', '総務課'], code: '110' },
	{ ous: ['総務部', '情報政策課'], code: '120' },
	{ ous: ['福祉部'], code: '200' },
	{ ous: ['福祉部', '福祉課'], code: '210' }
];

export const samplePeople: TestPerson[] = [
	{ number: 'D001', name: '山田 太郎', kana: 'ヤマダ タロウ', mail: 'yamada@town.test', ous: ['総務部', '総務課'], password: 'yamada-dir-pass', title: '主事' },
	{ number: 'D002', name: '佐藤 花子', kana: 'サトウ ハナコ', mail: 'sato@town.test', ous: ['総務部', '情報政策課'], password: 'sato-dir-pass' },
	{ number: 'D003', name: '鈴木 一郎', kana: 'スズキ イチロウ', ous: ['福祉部', '福祉課'], password: 'suzuki-dir-pass', employeeType: '会計年度任用職員' },
	{ number: 'D004', name: '高橋 次郎', kana: 'タカハシ ジロウ', ous: ['福祉部', '福祉課'], password: 'takahashi-dir-pass', disabled: true },
	{ number: 'D005', name: '田中 三郎', kana: 'タナカ サブロウ', ous: ['福祉部'], password: 'tanaka-dir-pass' }
];

/** Starts slapd with the sample tree (or none) and resolves once it answers. */
export async function startSlapd(options: { people?: TestPerson[]; departments?: TestDepartment[] } = {}): Promise<Slapd> {
	const dir = mkdtempSync(path.join(tmpdir(), 'mamori-slapd-'));
	const dataDir = path.join(dir, 'data');
	mkdirSync(dataDir);
	const port = await freePort();
	const url = `ldap://127.0.0.1:${port}`;
	const config = path.join(dir, 'slapd.conf');
	writeFileSync(
		config,
		[
			'include /etc/ldap/schema/core.schema',
			'include /etc/ldap/schema/cosine.schema',
			'include /etc/ldap/schema/inetorgperson.schema',
			'include /etc/ldap/schema/nis.schema',
			'modulepath /usr/lib/ldap',
			'moduleload back_mdb',
			'moduleload memberof',
			`pidfile ${path.join(dir, 'slapd.pid')}`,
			`argsfile ${path.join(dir, 'slapd.args')}`,
			'database mdb',
			`suffix "${baseDn}"`,
			`rootdn "${rootDn}"`,
			`rootpw ${rootPassword}`,
			`directory ${dataDir}`,
			'overlay memberof',
			// As a town hall's directory would: passwords are only for binding, reading needs an account.
			'access to attrs=userPassword by anonymous auth by self write by * none',
			'access to * by users read by * none',
			''
		].join('\n')
	);
	let child: ChildProcess | null = null;
	let output = '';
	const kill = () => {
		if (child && child.exitCode === null) child.kill('SIGKILL');
	};
	const emergency = () => {
		kill();
		rmSync(dir, { recursive: true, force: true });
	};
	process.once('exit', emergency);

	const start = async () => {
		// -d 0: in the foreground, so the process is ours to stop and cannot outlive the test.
		child = spawn(slapdBinary, ['-f', config, '-h', `${url}/`, '-d', '0'], { stdio: ['ignore', 'pipe', 'pipe'] });
		child.stdout!.on('data', (d) => (output += d));
		child.stderr!.on('data', (d) => (output += d));
		const exited = new Promise<never>((_, reject) => child!.once('exit', (code) => reject(new Error(`slapd exited (${code}):\n${output}`))));
		exited.catch(() => {});
		for (let i = 0; i < 200; i++) {
			if (await answers(port)) return;
			await Promise.race([new Promise((r) => setTimeout(r, 50)), exited]);
		}
		throw new Error(`slapd did not answer on ${url}:\n${output}`);
	};
	const stop = async () => {
		const running = child;
		if (!running || running.exitCode !== null) return;
		const gone = new Promise((resolve) => running.once('exit', resolve));
		running.kill('SIGTERM');
		await gone;
		child = null;
	};

	const admin = async <T>(work: (client: Client) => Promise<T>): Promise<T> => {
		const client = new Client({ url });
		try {
			await client.bind(rootDn, rootPassword);
			return await work(client);
		} finally {
			await client.unbind().catch(() => {});
		}
	};

	const addDepartment = (d: TestDepartment) =>
		admin((c) => c.add(ouDn(d.ous), { objectClass: ['organizationalUnit'], ou: d.ous[d.ous.length - 1], businessCategory: d.code }));

	const addPerson = (p: TestPerson) =>
		admin(async (c) => {
			const [sn, ...given] = p.name.split(' ');
			const entry: Record<string, string | string[]> = {
				objectClass: ['inetOrgPerson'],
				uid: p.number,
				cn: p.name,
				sn,
				employeeNumber: p.number,
				userPassword: p.password
			};
			if (given.length) entry.givenName = given.join(' ');
			if (p.kana) entry.displayName = p.kana;
			if (p.mail) entry.mail = p.mail;
			if (p.employeeType) entry.employeeType = p.employeeType;
			if (p.title) entry.title = p.title;
			if (p.disabled) entry.description = 'disabled';
			await c.add(personDn(p.number, p.ous), entry);
		});

	const instance: Slapd = {
		url,
		port,
		log: () => output,
		stop,
		start,
		destroy: async () => {
			process.removeListener('exit', emergency);
			await stop().catch(() => kill());
			rmSync(dir, { recursive: true, force: true });
		},
		admin,
		addPerson,
		addDepartment,
		movePerson: (number, from, to) => admin((c) => c.modifyDN(personDn(number, from), `uid=${number},${ouDn(to)}`)),
		setAttribute: (number, ous, attribute, values) =>
			admin((c) => c.modify(personDn(number, ous), new Change({ operation: 'replace', modification: new Attribute({ type: attribute, values }) }))),
		removePerson: (number, ous) => admin((c) => c.del(personDn(number, ous))),
		addToGroup: (group, number, ous) =>
			admin((c) => c.modify(groupDn(group), new Change({ operation: 'add', modification: new Attribute({ type: 'member', values: [personDn(number, ous)] }) })))
	};

	try {
		await start();
		await admin(async (c) => {
			await c.add(baseDn, { objectClass: ['dcObject', 'organization'], o: 'Test Town', dc: 'town' });
			for (const ou of ['service', 'groups', '部署']) await c.add(`ou=${ou},${baseDn}`, { objectClass: ['organizationalUnit'], ou });
			await c.add(readerDn, { objectClass: ['organizationalRole', 'simpleSecurityObject'], cn: 'mamori-reader', userPassword: readerPassword });
			// groupOfNames needs a member; the reader stands in until someone joins.
			await c.add(groupDn('委託事業者'), { objectClass: ['groupOfNames'], cn: '委託事業者', member: readerDn });
		});
		for (const d of options.departments ?? sampleDepartments) await addDepartment(d);
		for (const p of options.people ?? samplePeople) await addPerson(p);
	} catch (error) {
		await instance.destroy();
		throw error;
	}
	return instance;
}

function answers(port: number): Promise<boolean> {
	return new Promise((resolve) => {
		const socket = connect(port, '127.0.0.1');
		socket.once('connect', () => {
			socket.destroy();
			resolve(true);
		});
		socket.once('error', () => resolve(false));
	});
}
