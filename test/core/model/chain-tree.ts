import type { TreeJson } from '../../../src/core/model/forest.js';

/**
 * A tree of three features (and `nClasses` classes) too big for 16-bit children: a chain of 32,768 splits (go left while
 * x[1] <= −i) left of a root whose right child is a split 32,769 nodes ahead. Leaf rows: 0 at the chain's end,
 * 1 beside it, 2 and 0 under the far split (x[2] <= 0.5).
 */
export function chainTree(nClasses = 3): TreeJson {
  const chain = 32768;
  const tree: TreeJson = { feature: [], threshold: [], right: [], leaf: [], leaves: [0, 1, 2].map((c) => Array.from({ length: nClasses }, (_, k) => (k === c ? 1 : 0))) };
  const node = (feature: number, threshold: number, leaf: number): number => {
    tree.feature.push(feature);
    tree.threshold.push(threshold);
    tree.right.push(-1);
    tree.leaf.push(leaf);
    return tree.feature.length - 1;
  };
  const root = node(0, 0, -1);
  const links: number[] = [];
  for (let i = 0; i < chain; i++) links.push(node(1, -i, -1));
  node(-1, 0, 0);
  for (let i = chain - 1; i >= 0; i--) tree.right[links[i]] = node(-1, 0, 1);
  const far = (tree.right[root] = node(2, 0.5, -1));
  node(-1, 0, 2);
  tree.right[far] = node(-1, 0, 0);
  return tree;
}
