// Passwords of 8+ characters found at the top of every leaked-password list, plus local ones
// (the organisation's and the product's names). Compared in lower case.
const list = `
password password1 password123 password12 password! passw0rd p@ssw0rd p@ssword passwort
12345678 123456789 1234567890 12345678910 87654321 11111111 00000000 88888888 99999999
11223344 12341234 123123123 123321123 1q2w3e4r 1q2w3e4r5t 1qaz2wsx qwertyui qwerty123
qwertyuiop qwerty12 asdfghjk asdfasdf zxcvbnm1 zaq12wsx abcd1234 abc12345 abcdefgh
iloveyou iloveyou1 sunshine princess football baseball superman batman123 starwars
welcome1 welcome123 letmein1 trustno1 computer internet whatever dragon123 monkey123
michael1 jennifer charlie1 shadow12 master12 access14 mustang1 jordan23 football1
changeme changeme1 default1 administrator admin123 admin1234 adminadmin rootroot
test1234 testtest guest123 secret12 secret123 q1w2e3r4 1234qwer qwer1234 asdf1234
aaaaaaaa abcabcabc 147258369 159753456 741852963 963852741 123654789 987654321
pokemon1 naruto12 doraemon sakura12 hokuto12 hokutoshi hokuto-city mamori123 mamori-demo
mamorimamori security security1 infosec1 lgwan1234 yamanashi kofu1234 nihon123 nippon123
tokyo123 osaka123 japan123 arigatou konnichiwa sayonara1 yoroshiku daisuki1 ganbatte
`;

export const commonPasswords: ReadonlySet<string> = new Set(list.split(/\s+/).filter(Boolean));
