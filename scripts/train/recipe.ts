// The training recipe's defaults for several labelled corpora, shared by `npm run train` and the screening export.

/**
 * --corpus-balance auto with several labelled datasets. Three corpora on f7 with two bagged networks, fold seeds
 * 42 / 7 / 1 (models/EXPERIMENTS.md): 0.5 lifted RAVDESS 63.2 → 64.3 / 58.2 → 60.7 / 61.2 → 61.8 % and kept CREMA-D
 * over 55 % (55.9 → 55.2 / 57.3 → 56.3 / 56.7 → 55.8); 1 took CREMA-D to 54.2. With one labelled dataset it stays
 * off, so RAVDESS-only training is unchanged.
 */
export const AUTO_BALANCE = 0.5;

/** --mlp-bags: networks from different seeds, averaged as one (models/EXPERIMENTS.md, seventh and eighth rounds). */
export const MLP_BAGS = 2;

/** --robustness-share: the content-hash share of clips scored under the held-out conditions. */
export const ROBUSTNESS_SHARE = 0.08;

/**
 * --projection: the principal axes the 1,216 frame offsets (feature spec f10) are reduced to, per fold on its clean
 * training rows. 64 hold ~45 % of their variance; five fold seeds, models/EXPERIMENTS.md (thirteenth round).
 */
export const PROJECTION_DIMS = 64;
