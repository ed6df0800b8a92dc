// The training recipe's defaults for several labelled corpora, shared by `npm run train` and the screening export.

/**
 * --corpus-balance auto with several labelled datasets: each corpus counts alike within each emotion. On f7 (fold
 * seeds 42 / 7 / 1) 0.5 lifted RAVDESS by 0.6–2.5 points and 1 took CREMA-D to 54.2, so it was 0.5 until the members
 * were pooled in log space (ensemble.ts): there, on f10 with 250 trees and five fold seeds, 1 against 0.5 gives
 * RAVDESS 65.3 against 64.8 % (macro-F1 ≥ .63 on every seed, against three of five), CREMA-D 58.1 against 58.7,
 * every condition within 7.2 points of clean and 21–31 of 1,093 answers changed 24 dB quieter (24–29)
 * (models/EXPERIMENTS.md, eighteenth round). With one labelled dataset it stays off, so RAVDESS-only training is unchanged.
 */
export const AUTO_BALANCE = 1;

/** --mlp-bags: networks from different seeds, averaged as one (models/EXPERIMENTS.md, seventh and eighth rounds). */
export const MLP_BAGS = 2;

/** --robustness-share: the content-hash share of clips scored under the held-out conditions. */
export const ROBUSTNESS_SHARE = 0.08;

/**
 * --projection: the principal axes the 1,216 frame offsets (feature spec f10) are reduced to, per fold on its clean
 * training rows. 64 hold ~45 % of their variance; five fold seeds, models/EXPERIMENTS.md (thirteenth round).
 */
export const PROJECTION_DIMS = 64;
