# Research (issue 12, eleventh round): does the distribution of a clip's frames add to the utterance features?
# Each speech frame's MFCCs (c1–c19 and their deltas; c0, the level, left out) are scored against a diagonal
# Gaussian mixture of ordinary read speech (LibriSpeech, no emotion labels, so no held-out label reaches the
# features), and a clip gets the log share of its frames each Gaussian holds ("occupancy", 32 numbers) and, for
# "both", its frames' mean offset from each Gaussian (the first-order Fisher vector, 32 × 38) reduced to 64 numbers by
# a PCA fitted on the training folds. Screened beside the shipped f8 features with scikit-learn members on clean
# clips only (no augmented copies), the trainer's speaker-grouped folds.
# Needs Debian's python3-sklearn and ffmpeg (not project dependencies; nothing in the product or the tests runs this).
# From the repository, ../shared/datasets beside it, a warm feature cache:
#   npx tsx scripts/screen/export-clean.ts /tmp/occ                        # f8 rows, labels, folds
#   /usr/bin/python3 scripts/screen/frame-occupancy.py frames /tmp/occ     # every clip's speech frames (~6 min, 2 cores)
#   /usr/bin/python3 scripts/screen/frame-occupancy.py screen /tmp/occ 42,7,1 lr0.02,mlp
#   /usr/bin/python3 scripts/screen/frame-occupancy.py drift /tmp/occ      # occupancy 24 dB quieter (16-bit), in noise
#   /usr/bin/python3 scripts/screen/frame-occupancy.py drift /tmp/occ /tmp/oof   # on the trainer's 8 % condition share:
#   the clips export-oof.ts (run with no seeds: rows only) gave minus24 copies
# `--window DB` (screen, drift): the speech frames are those within DB of the clip's 95th-percentile frame (35).
# `--frames analysis` (twelfth round): the analysis's own frames instead of this file's, from export-frames.ts
# (after export-clean.ts; `drift` then needs export-frames.ts OUTDIR OOFDIR too and scores minus24, noise20, phone).
# `--pca libri`: the offsets' projection fitted once on 150-frame pieces of read speech, not on each training fold;
# `--pca none --fv-k K`: the offsets of a K-Gaussian mixture of their own, unprojected.
# `--cmn`: each clip's c1–c19 taken relative to their mean over its speech frames (the mixture fitted on such frames).
# `--augmented OOFDIR` (screen, with --frames analysis): the trainer's augmented copies (mix1) join the training
# folds, f8 rows from export-oof.ts OOFDIR, frames from export-frames.ts OUTDIR aug; the held-out clips stay clean.
import json, subprocess, sys, warnings
from multiprocessing import Pool
import numpy as np

warnings.filterwarnings('ignore')
SR, N, HOP, NFFT, NM, K = 16000, 400, 160, 512, 40, 32


def mel_bank():
    hz2mel = lambda f: 2595 * np.log10(1 + f / 700)
    mel2hz = lambda x: 700 * (10 ** (x / 2595) - 1)
    pts = mel2hz(np.linspace(hz2mel(50), hz2mel(7600), NM + 2))
    bins = np.fft.rfftfreq(NFFT, 1 / SR)
    fb = np.zeros((NM, len(bins)))
    for i in range(NM):
        lo, c, hi = pts[i], pts[i + 1], pts[i + 2]
        fb[i] = np.clip(np.minimum((bins - lo) / (c - lo), (hi - bins) / (hi - c)), 0, None)
    return fb


BANK = mel_bank()
DCT = np.cos(np.pi / NM * (np.arange(NM)[None, :] + 0.5) * np.arange(20)[:, None])
WINDOW = np.hanning(N)


def decode(path, volume_db=None):
    """Mono 16 kHz: float32, or 16-bit after `volume_db` (the trainer's minus24 condition)."""
    args = ['ffmpeg', '-nostdin', '-v', 'error', '-i', path, '-ac', '1', '-ar', str(SR)]
    if volume_db is None:
        return np.frombuffer(subprocess.run(args + ['-f', 'f32le', '-'], capture_output=True).stdout, dtype=np.float32).astype(np.float64)
    raw = subprocess.run(args + ['-af', f'volume={volume_db}dB', '-f', 's16le', '-'], capture_output=True).stdout
    return np.frombuffer(raw, dtype=np.int16).astype(np.float64) / 32768


def frames_of(x):
    """c1–c19 and their deltas, then the frame's energy relative to the clip's 95th-percentile frame, for the frames
    within 60 dB of it: `speech` keeps those within the screen's window (35 dB unless --window says otherwise)."""
    if len(x) < N:
        return np.zeros((0, 39), np.float32)
    nf = 1 + (len(x) - N) // HOP
    fr = x[np.arange(N)[None, :] + HOP * np.arange(nf)[:, None]] * WINDOW
    power = np.abs(np.fft.rfft(fr, NFFT)) ** 2
    energy = 10 * np.log10(power.sum(1) + 1e-12)
    cc = np.log(BANK @ power.T + 1e-10).T @ DCT.T
    d = np.zeros_like(cc)
    d[2:-2] = (-2 * cc[:-4] - cc[1:-3] + cc[3:-1] + 2 * cc[4:]) / 10
    rel = energy - np.percentile(energy, 95)
    return np.hstack([cc[:, 1:], d[:, 1:], rel[:, None]])[rel > -60].astype(np.float32)


WINDOW_DB = 35
FRAMES = 'python'
CMN = False
PCA_FIT = 'folds'
FV_K = 0
AUGMENTED = None


class Identity:
    def transform(self, a):
        return a


def speech(f):
    s = f[f[:, -1] > -WINDOW_DB, :-1]
    if CMN and len(s):
        s = s.copy()
        s[:, :19] -= s[:, :19].mean(0)  # c1–c19 relative to the clip's mean: a channel's response cancels
    return s


def clip_of(path):
    return frames_of(decode(path))


def load(out):
    meta = json.load(open(f'{out}/meta.json'))
    return meta, np.array([r['c'] for r in meta['rows']]), np.array([r['y'] for r in meta['rows']])


def frames_cmd(out):
    meta, _, _ = load(out)
    with Pool(2) as pool:
        clips = pool.map(clip_of, [r['path'] for r in meta['rows']], chunksize=20)
    np.save(f'{out}/lens.npy', np.array([len(c) for c in clips]))
    np.save(f'{out}/frames.npy', np.vstack(clips))


def exported(out, name):
    """The frames export-frames.ts wrote: the analysis's own (its VAD cut, floor, spectrogram and speech mask)."""
    return np.fromfile(f'{out}/frames-{name}.f32', dtype=np.float32).reshape(-1, 39), np.fromfile(f'{out}/lens-{name}.i32', dtype=np.int32)


def split(F, lens):
    starts = np.concatenate([[0], np.cumsum(lens)])
    return [speech(F[starts[i]:starts[i + 1]].astype(np.float64)) for i in range(len(lens))]


def clip_frames(out):
    if FRAMES == 'analysis':
        return split(*exported(out, 'clean'))
    return split(np.load(f'{out}/frames.npy'), np.load(f'{out}/lens.npy'))


def reference_mixture(clips, corpus, k=None):
    from sklearn.mixture import GaussianMixture
    frames = np.vstack([c for c, k in zip(clips, corpus) if k == 'librispeech-mini'])
    sample = frames[np.random.default_rng(0).choice(len(frames), min(60000, len(frames)), replace=False)]
    return GaussianMixture(k or K, covariance_type='diag', max_iter=50, random_state=0).fit(sample)


def occupancy_and_offsets(gmm, f):
    g = gmm.predict_proba(f)
    n = g.sum(0) + 1e-6
    mu = (g.T @ f) / n[:, None]
    return np.log(n / len(f) + 1e-4), (((mu - gmm.means_) / np.sqrt(gmm.covariances_)) * np.sqrt(n / len(f))[:, None]).ravel()


def screen_cmd(out, seeds, models):
    from sklearn.decomposition import PCA
    from sklearn.linear_model import LogisticRegression
    from sklearn.neural_network import MLPClassifier
    from sklearn.preprocessing import StandardScaler
    meta, corpus, y = load(out)
    X = np.fromfile(f'{out}/X.f32', dtype=np.float32).reshape(len(y), meta['d']).astype(np.float64)
    clips = clip_frames(out)
    gmm = reference_mixture(clips, corpus)
    stats = [occupancy_and_offsets(gmm, f) for f in clips]
    OCC = np.array([s[0] for s in stats])
    FV = np.array([s[1] for s in stats])
    if FV_K:
        # The offsets from a smaller mixture of their own, so they can be used without a projection.
        small = reference_mixture(clips, corpus, FV_K)
        FV = np.array([occupancy_and_offsets(small, f)[1] for f in clips])
    if PCA_FIT == 'libri':
        # One fixed projection, fitted on read speech only (no acted clip, no label): the offsets of 150-frame
        # pieces of each LibriSpeech clip, about as long as an acted clip's speech.
        pieces = [occupancy_and_offsets(gmm, f[i:i + 150])[1] for f, k in zip(clips, corpus) if k == 'librispeech-mini'
                  for i in range(0, len(f) - 75, 150)]
        fixed = PCA(64, random_state=0).fit(np.array(pieces))
    if AUGMENTED:
        # The trainer's augmented copies (mix1) join the training folds: f8 rows from export-oof.ts, frames from
        # export-frames.ts OUTDIR aug. Held-out clips stay clean.
        rows = json.load(open(f'{AUGMENTED}/meta.json'))
        kind, source = np.array([m['k'] for m in rows]), np.array([m['s'] for m in rows])
        at = np.where(kind == 'aug')[0]
        XA = np.nan_to_num(np.fromfile(f'{AUGMENTED}/X.f32', dtype=np.float32).reshape(len(rows), -1)[at].astype(np.float64))
        SA = source[at]
        aug_stats = [occupancy_and_offsets(gmm, f) for f in split(*exported(out, 'mix1'))]
        OCCA, FVA = np.array([s[0] for s in aug_stats]), np.array([s[1] for s in aug_stats])
    for seed in seeds:
        fold = np.array(meta['folds'][str(seed)])
        pred = {}
        for f in range(5):
            tr, te = np.where(fold != f)[0], np.where(fold == f)[0]
            pca = fixed if PCA_FIT == 'libri' else Identity() if PCA_FIT == 'none' else PCA(64, random_state=0).fit(FV[tr])
            arms = {
                'f8': (X[tr], X[te]),
                'f8+occupancy': (np.hstack([X[tr], OCC[tr]]), np.hstack([X[te], OCC[te]])),
                'f8+both': (np.hstack([X[tr], OCC[tr], pca.transform(FV[tr])]), np.hstack([X[te], OCC[te], pca.transform(FV[te])])),
            }
            ytr = y[tr]
            if AUGMENTED:
                ta = np.where(fold[SA] != f)[0]
                extra = {'f8': XA[ta], 'f8+occupancy': np.hstack([XA[ta], OCCA[SA[ta]]]),
                         'f8+both': np.hstack([XA[ta], OCCA[SA[ta]], pca.transform(FVA[SA[ta]])])}
                arms = {k: (np.vstack([a, extra[k]]), b) for k, (a, b) in arms.items()}
                ytr = np.concatenate([y[tr], y[SA[ta]]])
            for arm, (A, B) in arms.items():
                sc = StandardScaler().fit(A)
                A, B = sc.transform(A), sc.transform(B)
                for model in models:
                    if model.startswith('lr'):
                        p = LogisticRegression(C=float(model[2:]), class_weight='balanced', max_iter=400).fit(A, ytr).predict(B)
                    else:
                        # The shipped network's size and penalty, its prior correction (p / π, as mlp.ts does).
                        net = MLPClassifier((128,), alpha=3, max_iter=30, batch_size=256, random_state=seed).fit(A, ytr)
                        p = np.argmax(net.predict_proba(B) / (np.bincount(ytr, minlength=y.max() + 1) / len(ytr)), 1)
                    pred.setdefault((model, arm), np.zeros(len(y), int))[te] = p
        for (model, arm), p in pred.items():
            acc = lambda c: 100 * (p[corpus == c] == y[corpus == c]).mean()
            print(f'seed {seed} {model:7s} {arm:13s} all {100 * (p == y).mean():.1f} RAVDESS {acc("ravdess"):.1f} '
                  f'CREMA-D {acc("crema-d"):.1f} read speech {acc("librispeech-mini"):.1f}', flush=True)


def condition_frames(args):
    path, kind, i = args
    if kind == 'minus24':
        return speech(frames_of(decode(path, -24)))
    x = decode(path)
    return speech(frames_of(x + np.random.default_rng(i).standard_normal(len(x)) * np.sqrt(np.mean(x ** 2)) / 10))  # white, 20 dB SNR


def drift(moved, clean, spread):
    """|Δ| between each clip's two copies, in units of the clean features' spread: one row per clip."""
    used = spread > 0
    return np.abs(moved[:, used] - clean[:, used]) / spread[used]


def drift_cmd(out, oof_dir=None):
    meta, corpus, _ = load(out)
    clips = clip_frames(out)
    gmm = reference_mixture(clips, corpus)
    occ = lambda f: occupancy_and_offsets(gmm, f)[0] if len(f) else np.full(K, np.log(1e-4))
    spread = np.array([occ(f) for f in clips]).std(0)
    if oof_dir:
        # The trainer's own condition share: the clean clips export-oof.ts wrote minus24 copies of, and f8's own
        # drift between those clips and each of their condition copies, for comparison.
        rows = json.load(open(f'{oof_dir}/meta.json'))
        sel = sorted({m['s'] for m in rows if m['k'] == 'minus24'})
        kind, source = np.array([m['k'] for m in rows]), np.array([m['s'] for m in rows])
        X = np.nan_to_num(np.fromfile(f'{oof_dir}/X.f32', dtype=np.float32).reshape(len(rows), -1).astype(np.float64))
        f8_spread = X[kind == 'clean'].std(0)
        for v in ['minus24', 'noise20', 'phone']:
            at = np.where(kind == v)[0]
            d = drift(X[at], X[source[at]], f8_spread)
            print(f'f8, the trainer\'s {v}: {len(at)} clips, drift mean |Δ| {d.mean():.3f} clean spreads '
                  f'(RAVDESS {d[corpus[source[at]] == "ravdess"].mean():.3f})', flush=True)
    else:
        # The fifth round's 579-clip selection: every 5th RAVDESS, 10th CREMA-D and 5th LibriSpeech clip.
        sel = [i for c, k in [('ravdess', 5), ('crema-d', 10), ('librispeech-mini', 5)] for i in np.where(corpus == c)[0][::k]]
    clean = np.array([occ(clips[i]) for i in sel])
    for kind in ['minus24', 'noise20', 'phone'] if FRAMES == 'analysis' else ['minus24', 'noise20']:
        if FRAMES == 'analysis':
            # The trainer's own condition copies of its share (export-frames.ts with OOFDIR), in `sel` order.
            assert list(np.fromfile(f'{out}/share.i32', dtype=np.int32)) == list(sel)
            moved = split(*exported(out, kind))
        else:
            with Pool(2) as pool:
                moved = pool.map(condition_frames, [(meta['rows'][i]['path'], kind, i) for i in sel], chunksize=10)
        d = drift(np.array([occ(f) for f in moved]), clean, spread)
        print(f'{kind}: {len(sel)} clips, occupancy drift mean |Δ| {d.mean():.3f} clean spreads (median clip {np.median(d.mean(1)):.3f}; '
              f'RAVDESS {d[corpus[sel] == "ravdess"].mean():.3f})', flush=True)


def option(name, default, convert=str):
    """`--name VALUE` taken out of sys.argv, or the default."""
    if f'--{name}' not in sys.argv:
        return default
    at = sys.argv.index(f'--{name}')
    value = convert(sys.argv[at + 1])
    del sys.argv[at:at + 2]
    return value


if __name__ == '__main__':
    WINDOW_DB = option('window', WINDOW_DB, float)
    FRAMES = option('frames', FRAMES)
    AUGMENTED = option('augmented', AUGMENTED)
    FV_K = option('fv-k', FV_K, int)
    PCA_FIT = option('pca', PCA_FIT)
    if '--cmn' in sys.argv:
        CMN = True
        sys.argv.remove('--cmn')
    cmd, out = sys.argv[1], sys.argv[2]
    if cmd == 'frames':
        frames_cmd(out)
    elif cmd == 'screen':
        screen_cmd(out, [int(s) for s in sys.argv[3].split(',')], sys.argv[4].split(',') if len(sys.argv) > 4 else ['mlp'])
    elif cmd == 'drift':
        drift_cmd(out, sys.argv[3] if len(sys.argv) > 3 else None)
    else:
        raise SystemExit('usage: frame-occupancy.py frames OUTDIR | screen OUTDIR SEEDS [MODELS] | drift OUTDIR [OOFDIR]  '
                         '[--window DB] [--frames python|analysis] [--cmn] [--pca folds|libri|none] [--fv-k K] [--augmented OOFDIR]')
