# Research harness (lane acc, issue 12): screens a model member beside the project's own forest on exactly the
# rows, folds and forest probabilities `npm run train` has, exported by scripts/screen/export-oof.ts.
# Needs Debian's python3-sklearn (not a project dependency; nothing in the product or the tests runs this).
#   npx tsx scripts/screen/export-oof.ts /tmp/x .cache 42,7      # rows + trainer folds + shipped members' OOF
#   /usr/bin/python3 scripts/screen/harness.py /tmp/x shipped mlp nap3 --seeds 42,7
#   /usr/bin/python3 scripts/screen/harness.py /tmp/x shipped3 mlp3:within1 --seeds 42,7   # beside the exported MLP
# Each candidate is blended with the exported forest as the trainer blends its logistic regression (weight and
# temperature chosen on the other folds), the guard applied, and scored per corpus. "shipped" (forest + the
# exported logistic) reproduces the model card's numbers on seed 42.
import json, time, sys, os
import numpy as np
from scipy.optimize import minimize_scalar
from sklearn.preprocessing import StandardScaler
from sklearn.metrics import f1_score
from sklearn.linear_model import LogisticRegression
E = ['neutral','happy','sad','angry','fearful','disgust','surprised']
DIR = sys.argv[1] if len(sys.argv) > 1 else '/tmp/acc/exp'
meta = json.load(open(f'{DIR}/meta.json'))
N = len(meta)
X = np.fromfile(f'{DIR}/X.f32', dtype=np.float32).reshape(N, -1).astype(np.float64)
X = np.nan_to_num(X)
K = np.array([m['k'] for m in meta]); S = np.array([m['s'] for m in meta]); Y = np.array([m['y'] for m in meta])
G = np.array([m['g'] for m in meta]); C = np.array([m['c'] for m in meta])
HEARD = np.array([m['heard'] for m in meta], dtype=object)
clean = np.where(K == 'clean')[0]; aug = np.where(K == 'aug')[0]
nC = len(clean); assert (clean == np.arange(nC)).all()
Yc = Y[:nC]; Cc = C[:nC]
agreed = np.array([(h is not None and h == E[y]) for h, y in zip(HEARD[:nC], Yc)])
OOF = {}
def load_seed(seed):
    if seed not in OOF:
        o = json.load(open(f'{DIR}/oof-{seed}.json'))
        a = np.array(o['clean']); OOF[seed] = dict(fold=np.array(o['foldOf']), forest=a[:, :7], linear=a[:, 7:14], atyp=a[:, 14],
            mlp=a[:, 15:22] if a.shape[1] >= 22 else None, var={k: np.array(v) for k, v in o['variants'].items()})
    return OOF[seed]
# ---- calibration as src/core/model/calibration.ts
def calibrate(p, T, eps):
    q = np.power(p + eps, 1.0 / T); s = q.sum(1, keepdims=True); return np.where(s > 0, q / np.where(s > 0, s, 1), 1.0 / p.shape[1])
def nll(p, y):
    return -np.mean(np.maximum(np.log(np.maximum(p[np.arange(len(y)), y], 1e-300)), np.log(1e-12)))
def fit_cal(p, y):
    best = (np.inf, 1.0, 0.0)
    for eps in [0, 1e-4, 0.001, 0.003, 0.01, 0.03]:
        L = np.log(p + eps)
        def f(b):
            z = L * b; z = z - z.max(1, keepdims=True); lp = z[np.arange(len(y)), y] - np.log(np.exp(z).sum(1))
            return -np.mean(np.maximum(lp, np.log(1e-12)))
        r = minimize_scalar(f, bounds=(0.2, 20), method='bounded', options={'xatol': 1e-6})
        if r.fun < best[0]: best = (r.fun, 1.0 / r.x, eps)
    return best[1], best[2], best[0]
W2 = [i / 10 for i in range(11)]
def simplex(m, step=0.1):
    n = int(round(1 / step))
    if m == 1: return [(1.0,)]
    if m == 2: return [(i / n, 1 - i / n) for i in range(n + 1)]
    return [(i / n, j / n, (n - i - j) / n) for i in range(n + 1) for j in range(n + 1 - i)]
def choose_blend(members, y, grid=None):
    m = len(members); grid = grid or simplex(m)
    best = None
    for w in grid:
        p = sum(wi * P for wi, P in zip(w, members))
        T, eps, loss = fit_cal(p, y)
        if best is None or loss < best[0] - 1e-12: best = (loss, w, T, eps)
    return best[1:]
def blend_oof(members, fold, y, folds=5, fixed=None, grid=None):
    """Cross-fitted: fold f's clips get the weights + temperature chosen on the other folds."""
    out = np.zeros_like(members[0]); choices = []
    for f in range(folds):
        te = fold == f; tr = ~te
        w, T, eps = fixed if fixed else choose_blend([P[tr] for P in members], y[tr], grid)
        choices.append((w, T, eps))
        out[te] = calibrate(sum(wi * P[te] for wi, P in zip(w, members)), T, eps)
    return out, choices
def guard(p, a, above):
    keep = np.where(a > above, (above / np.maximum(a, 1e-9)) ** 2, 1.0)[:, None]
    return keep * p + (1 - keep) / p.shape[1]
def ece(p, y, bins=10):
    c = p.max(1); ok = p.argmax(1) == y; e = 0
    for b in range(bins):
        s = (c > b / bins) & (c <= (b + 1) / bins) if b else (c <= 1 / bins)
        if s.any(): e += s.mean() * abs(ok[s].mean() - c[s].mean())
    return e
def scores(p, y=Yc):
    pr = p.argmax(1); r = {}
    r['all'] = (pr == y).mean(); r['allF1'] = f1_score(y, pr, average='macro')
    s = Cc == 'ravdess'; r['rav'] = (pr[s] == y[s]).mean(); r['ravF1'] = f1_score(y[s], pr[s], average='macro', labels=range(7))
    s = Cc == 'crema-d'; r['cre'] = (pr[s] == y[s]).mean()
    s2 = s & agreed; r['agr'] = (pr[s2] == y[s2]).mean()
    s = Cc == 'librispeech-mini'; top = p[s].max(1)
    r['lib'] = ((pr[s] == 0) | (top < 0.35)).mean(); r['libHigh'] = ((pr[s] != 0) & (top >= 0.7)).mean()
    r['ece'] = ece(p, y)
    r['ravRec'] = [((pr == c) & (y == c) & (Cc == 'ravdess')).sum() / max(1, ((y == c) & (Cc == 'ravdess')).sum()) for c in range(7)]
    return r
# ---- per (seed, fold) training rows, scaled as the trainer does (scaler on the fold's training rows)
_FOLD = {}
def fold_data(seed, f):
    key = (seed, f)
    if key not in _FOLD:
        fo = load_seed(seed)['fold']
        trm = np.zeros(N, bool); trm[:nC] = fo != f; trm[aug] = fo[S[aug]] != f
        tr = np.where(trm)[0]; te = np.where(fo == f)[0]
        sc = StandardScaler().fit(X[tr])
        _FOLD[key] = (tr, te, sc.transform(X[tr]), sc.transform(X[te]))
        if len(_FOLD) > 10: _FOLD.pop(next(iter(_FOLD)))
    return _FOLD[key]
def balanced(y, k=7):
    cnt = np.bincount(y, minlength=k).astype(float); w = np.where(cnt > 0, len(y) / (k * np.maximum(cnt, 1)), 0); return w[y]
def member_oof(fn, seed, cache=None):
    """fn(Xtr, ytr, wtr, Xte, tr_idx, te_idx) -> probs (n_te, 7). Out-of-fold over the seed's 5 folds."""
    if cache and os.path.exists(cache): return np.load(cache)
    P = np.zeros((nC, 7))
    for f in range(5):
        tr, te, Xtr, Xte = fold_data(seed, f)
        P[te] = fn(Xtr, Y[tr], balanced(Y[tr]), Xte, tr, te)
    if cache: np.save(cache, P)
    return P
def logistic(l2=0.025, wfn=None, cols=None):
    def fn(Xtr, ytr, w, Xte, tr, te):
        if wfn is not None: w = wfn(w, tr); w = w * len(w) / w.sum()
        A, B = (Xtr, Xte) if cols is None else (Xtr[:, cols], Xte[:, cols])
        m = LogisticRegression(C=1 / (len(ytr) * l2), max_iter=1000, tol=1e-5).fit(A, ytr, sample_weight=w)
        return full7(m, m.predict_proba(B))
    return fn
def full7(m, p):
    out = np.zeros((len(p), 7)); out[:, m.classes_] = p; return out
RESULTS = []
def evaluate(name, seeds, members_of, grid=None, note=''):
    """members_of(seed) -> list of OOF prob arrays (first is normally the project's forest)."""
    t = time.time(); rows = []
    for seed in seeds:
        o = load_seed(seed); ms = members_of(seed)
        p, ch = blend_oof(ms, o['fold'], Yc, grid=grid)
        above = np.sort(o['atyp'][o['atyp'] > 0])[int(0.995 * (np.sum(o['atyp'] > 0) - 1))]
        p = guard(p, o['atyp'], above)
        r = scores(p); r['w'] = [c[0] for c in ch]; r['T'] = np.mean([c[1] for c in ch]); rows.append(r)
    avg = {k: np.mean([r[k] for r in rows], axis=0) for k in rows[0] if k not in ('w',)}
    spr = {k: (np.max([r[k] for r in rows]) - np.min([r[k] for r in rows])) / 2 for k in ('all', 'rav', 'cre')}
    res = dict(name=name, seeds=seeds, avg=avg, spread=spr, per=rows, note=note)
    RESULTS.append(res)
    wl = ' '.join('/'.join(f'{x:.1f}' for x in r['w'][0]) for r in rows)
    print(f"{name:44s} all {100*avg['all']:.1f}±{100*spr['all']:.1f} F1 {avg['allF1']:.3f} | RAV {100*avg['rav']:.1f}±{100*spr['rav']:.1f} F1 {avg['ravF1']:.3f} | CRE {100*avg['cre']:.1f}±{100*spr['cre']:.1f} agr {100*avg['agr']:.1f} | LIB {100*avg['lib']:.1f} hi {100*avg['libHigh']:.1f} | ECE {avg['ece']:.3f} | w {wl} ({time.time()-t:.0f}s)", flush=True)
    print('   RAV recall ' + ' '.join(f'{E[c][:3]} {100*avg["ravRec"][c]:.0f}' for c in range(7)), flush=True)
    with open(os.path.join(DIR, 'results.jsonl'), 'a') as fh:
        fh.write(json.dumps(dict(name=name, seeds=list(seeds), avg={k: (v.tolist() if hasattr(v, 'tolist') else v) for k, v in avg.items()}, spread=spr,
            per=[{k: (v.tolist() if hasattr(v, 'tolist') else v) for k, v in r.items()} for r in rows])) + '\n')
    return res

# ---- candidate members, as screened (NOTES-acc.md has the table)
import re
from sklearn.neural_network import MLPClassifier
from sklearn.kernel_approximation import Nystroem
from sklearn.neighbors import KNeighborsClassifier
def logi(l2=0.025):
    return lambda A, y, w: LogisticRegression(C=1 / (len(y) * l2), max_iter=400, tol=1e-4).fit(A, y, sample_weight=w)
def prior_correct(p, ytr):
    pri = np.bincount(ytr, minlength=7) / len(ytr); p = p / np.maximum(pri, 1e-9); return p / p.sum(1, keepdims=True)
def nap(k):
    """Projects out k directions of the class-conditional RAVDESS - CREMA-D mean differences, then the logistic."""
    def fn(Xtr, ytr, w, Xte, tr, te):
        D = [Xtr[(C[tr] == 'ravdess') & (ytr == c)].mean(0) - Xtr[(C[tr] == 'crema-d') & (ytr == c)].mean(0) for c in range(6)]
        V = np.linalg.svd(np.array(D), full_matrices=False)[2][:k].T
        m = logi()(Xtr - Xtr @ V @ V.T, ytr, w); return full7(m, m.predict_proba(Xte - Xte @ V @ V.T))
    return fn
def cellw(Xtr, ytr, w, Xte, tr, te):
    """Weights balanced per (corpus, class) cell instead of per class."""
    cells = np.array([f'{c}|{y}' for c, y in zip(C[tr], ytr)]); u, inv, cnt = np.unique(cells, return_inverse=True, return_counts=True)
    ww = len(ytr) / (len(u) * cnt[inv]); ww *= len(ww) / ww.sum()
    m = logi()(Xtr, ytr, ww); return full7(m, m.predict_proba(Xte))
NAMES = json.load(open(os.path.join(os.path.dirname(os.path.abspath(__file__)), '../../models/report/metrics.json')))['file']['featureSpec']['names']
KEEP = np.array([i for i, n in enumerate(NAMES) if not re.match(r'^(mfcc\d+_mean|mfcc\d+_p\d+|centroid_(mean|p\d+)|bandwidth_mean|rolloff_mean|contrast\d_mean|mel_rel\d+_mean|alpha_ratio_mean|hammarberg_mean|mel_slope\d_mean)$', n)])
def dropchannel(Xtr, ytr, w, Xte, tr, te):
    m = logi()(Xtr[:, KEEP], ytr, w); return full7(m, m.predict_proba(Xte[:, KEEP]))
def knn(Xtr, ytr, w, Xte, tr, te, k=30):
    m = KNeighborsClassifier(n_neighbors=k, weights='distance', metric='cosine', algorithm='brute').fit(Xtr, ytr)
    return prior_correct(full7(m, m.predict_proba(Xte)), ytr)
def moe(Xtr, ytr, w, Xte, tr, te):
    """Logistic experts on RAVDESS+LibriSpeech and on CREMA-D+LibriSpeech rows, mixed by a logistic corpus gate."""
    isR = C[tr] == 'ravdess'; isC = C[tr] == 'crema-d'; isL = C[tr] == 'librispeech-mini'; out = []
    for m_ in (isR | isL, isC | isL):
        m = logi()(Xtr[m_], ytr[m_], balanced(ytr[m_])); out.append(full7(m, m.predict_proba(Xte)))
    g = isR | isC
    gate = LogisticRegression(C=1 / (g.sum() * 0.025), max_iter=400, tol=1e-4, class_weight='balanced').fit(Xtr[g], isR[g].astype(int))
    pr = gate.predict_proba(Xte)[:, 1:2]; return pr * out[0] + (1 - pr) * out[1]
def mlp(h=64, alpha=1.0, it=60):
    def fn(Xtr, ytr, w, Xte, tr, te):
        m = MLPClassifier(hidden_layer_sizes=(h,), alpha=alpha, max_iter=it, batch_size=256, learning_rate_init=1e-3, random_state=0,
                          tol=0, n_iter_no_change=1000).fit(Xtr.astype(np.float32), ytr)
        return prior_correct(full7(m, m.predict_proba(Xte.astype(np.float32))), ytr)
    return fn
def nys(n=800):
    def fn(Xtr, ytr, w, Xte, tr, te):
        ny = Nystroem(gamma=1.0 / Xtr.shape[1], n_components=n, random_state=0).fit(Xtr)
        A = ny.transform(np.clip(Xtr, -10, 10)); B = ny.transform(np.clip(Xte, -10, 10)); sc = StandardScaler().fit(A)
        m = logi()(sc.transform(A), ytr, w); return full7(m, m.predict_proba(sc.transform(B)))
    return fn
def logistic(Xtr, ytr, w, Xte, tr, te):
    m = logi()(Xtr, ytr, w); return full7(m, m.predict_proba(Xte))
AGREE_ALL = np.array([(h is None) or (h == E[y]) for h, y in zip(HEARD, Y)])
def within(gamma=1.0, disagreed=1.0):
    """The logistic with class-balanced weights × corpus evening within each class (src/core/model/class-weights.ts
    corpusFactors at strength gamma), CREMA-D rows whose listeners heard another emotion × `disagreed`."""
    def fn(Xtr, ytr, w, Xte, tr, te):
        r = np.ones(len(ytr))
        for c in range(7):
            m = ytr == c; cs, inv, cnt = np.unique(C[tr][m], return_inverse=True, return_counts=True)
            if m.any(): r[m] = (m.sum() / (len(cs) * cnt[inv])) ** gamma
        r = r * np.where(AGREE_ALL[tr], 1.0, disagreed)
        for c in range(7):
            m = ytr == c
            if m.any(): r[m] *= m.sum() / r[m].sum()
        ww = w * r; ww *= len(ww) / ww.sum()
        m = logi()(Xtr, ytr, ww); return full7(m, m.predict_proba(Xte))
    return fn
CANDIDATES = {'logistic': logistic, 'within1': within(1.0), 'within05': within(0.5), 'disagreed05': within(0.0, 0.5),
              'nap1': nap(1), 'nap3': nap(3), 'nap6': nap(6), 'cellw': cellw, 'dropchannel': dropchannel, 'knn30': knn,
              'moe': moe, 'mlp': mlp(), 'nys800': nys()}
if __name__ == '__main__':
    import argparse, warnings
    warnings.filterwarnings('ignore')
    ap = argparse.ArgumentParser(description='NAME: shipped, a candidate, or candidates joined by + (each a member beside the forest)')
    ap.add_argument('dir'); ap.add_argument('names', nargs='+'); ap.add_argument('--seeds', default='42,7')
    ap.add_argument('--floor', type=float, default=0.0, help='lowest forest weight the blend may choose (e.g. 0.5)')
    a = ap.parse_args(); seeds = tuple(int(s) for s in a.seeds.split(','))
    for name in a.names:
        if name == 'shipped':
            evaluate('shipped: forest + logistic', seeds, lambda s: [load_seed(s)['forest'], load_seed(s)['linear']]); continue
        # The three-member recipe (export-oof.ts exports the MLP too): the forest's weight on the grid, the others share the rest.
        EQUAL = [(w / 10, (1 - w / 10) / 2, (1 - w / 10) / 2) for w in range(11)]
        if name == 'shipped3':
            evaluate('shipped3: forest + logistic + MLP', seeds, lambda s: [load_seed(s)['forest'], load_seed(s)['linear'], load_seed(s)['mlp']], grid=EQUAL); continue
        if name.startswith('mlp3:'):  # mlp3:CANDIDATE replaces the logistic beside the forest and the exported MLP
            P = {s: member_oof(CANDIDATES[name[5:]], s) for s in seeds}
            evaluate(f'forest + {name[5:]} + MLP', seeds, lambda s: [load_seed(s)['forest'], P[s], load_seed(s)['mlp']], grid=EQUAL); continue
        parts = name.split('+')
        P = {(n, s): member_oof(CANDIDATES[n], s) for n in parts for s in seeds}
        grid = [w for w in simplex(len(parts) + 1) if w[0] >= a.floor - 1e-9]
        evaluate(f'forest (>= {a.floor}) + {" + ".join(parts)}', seeds, lambda s: [load_seed(s)['forest']] + [P[(n, s)] for n in parts], grid=grid)
