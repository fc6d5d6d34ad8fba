// Stable section keys, built from the document's own numbering so that the same clause keeps
// its key from one version to the next (lessons and questions link to keys).
//
// Scheme:
//   1 目的 / 1. 目的 / ## 1 目的 / 第1 趣旨 → 1           (top-level number)
//   (8) under 2                            → 2.8          (any list item: parent key + ordinal;
//                                            ⑧, ク, (ク), チ of イロハ, 八, h) all have ordinal 8)
//   ② under (3) under 6, ア under that    → 6.3.2, 6.3.2.1
//   1-1 / 1.1 / １－１ (under 1 or alone)  → 1.1;  1-1-2 → 1.1.2
//   第1章 / 第1節 / 第1款                  → ch1 / ch1.s1 / ch1.s1.k1 (s1 alone without a 章)
//   第5条 (wherever its 章 is)             → 5;   第10条の2 → 10-2  (articles are numbered
//                                            through the whole ordinance and cited that way)
//   第5条第2項 (the line ２ under 第5条)   → 5.2; its 号 一 → 5.2.1
//   号 under 第5条's unnumbered first 項   → 5.1 when the article has no numbered 項,
//                                            5.1.1 when it has (the first 項 is implicit)
//   unnumbered Markdown headings           → their position among siblings: 1, 2, 2.1 …
//                                            (## 1 目的, ## 2 定義, ## 付記 → 1, 2, 3)
//   附則 (付則) / the next 附則            → suppl, suppl2 …;  別表第1 / 別記 → appx1 …
// Keys that still collide get _2, _3 and a warning. `level` is the depth in the outline (1 top).

import { isTerminal, type OutlineNode } from './outline';

const legalPrefix: Record<string, string> = { chapter: 'ch', division: 's', subdivision: 'k' };

export interface KeyedNode {
	node: OutlineNode;
	key: string;
	level: number;
}

/** Keys for every node, in document order. */
export function assignKeys(roots: readonly OutlineNode[], warnings: string[]): KeyedNode[] {
	const out: KeyedNode[] = [];
	const seen = new Set<string>();
	const terminalCount = { supplementary: 0, appendix: 0 };

	function walk(nodes: readonly OutlineNode[], parentKey: string, level: number) {
		const parent = nodes[0]?.parent ?? null;
		const firstParagraph = parent?.style === 'article' ? nodes.findIndex((n) => n.style === 'paragraph') : -1;
		nodes.forEach((node, index) => {
			const prefix = parentKey ? `${parentKey}.` : '';
			let key: string;
			if (node.style === 'article') key = node.numbers.join('-');
			else if (node.style in legalPrefix) {
				const under = parent && parent.style in legalPrefix ? prefix : '';
				key = `${under}${legalPrefix[node.style]}${node.numbers[0]}`;
			} else if (isTerminal(node.style)) {
				const style = node.style as keyof typeof terminalCount;
				const count = ++terminalCount[style];
				const base = style === 'supplementary' ? 'suppl' : 'appx';
				key = style === 'appendix' ? `${base}${node.numbers[0] ?? count}` : count === 1 ? base : `${base}${count}`;
			} else if (node.numbers.length === 0) {
				key = `${prefix}${index + 1}`;
			} else if (node.style.startsWith('dotted')) {
				const ownsPrefix = parent !== null && parent.numbers.length === node.numbers.length - 1 && parent.numbers.every((n, i) => n === node.numbers[i]);
				key = ownsPrefix ? `${prefix}${node.numbers.at(-1)}` : `${prefix}${node.numbers.join('.')}`;
			} else if (firstParagraph >= 0 && node.style !== 'paragraph' && index < firstParagraph) {
				key = `${prefix}1.${node.numbers[0]}`;
			} else key = `${prefix}${node.numbers[0]}`;
			key = unique(key);
			out.push({ node, key, level });
			walk(node.children, key, level + 1);
		});
	}

	function unique(key: string): string {
		if (!seen.has(key)) {
			seen.add(key);
			return key;
		}
		let n = 2;
		while (seen.has(`${key}_${n}`)) n++;
		warnings.push(`節の番号 ${key} が重複しています。${key}_${n} として取り込みます。`);
		seen.add(`${key}_${n}`);
		return `${key}_${n}`;
	}

	walk(roots, '', 1);
	return out;
}
