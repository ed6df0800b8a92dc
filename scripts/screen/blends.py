# Research (issue 12, fourteenth round): screens blend rules on the members' out-of-fold probabilities exported by
# export-oof.ts, each fold's blend and temperature chosen on the other folds, scored per corpus and under each held-out
# condition (answers unchanged 24 dB quieter, accuracy gaps, calibration). Debian's python3-sklearn, as harness.py.
#   npx tsx scripts/screen/export-oof.ts /tmp/x .cache 42,7,1,3,5 2 0.25 [LINEAR,MLP]
#   /usr/bin/python3 scripts/screen/blends.py /tmp/x 42,7,1,3,5 [shipped,log-pool]
# "shipped" reproduces the trainer's card (seed 42: RAVDESS 65.3 %, 21 of 1,093 answers changed 24 dB quieter).
import os, sys, numpy as np
DIR = sys.argv[1]; seeds = [int(s) for s in sys.argv[2].split(',')]; which = sys.argv[3].split(',') if len(sys.argv) > 3 else None
sys.argv = [sys.argv[0], DIR]
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness as H
K, S = H.K, H.S
def pool(ms, w, kind):
    if kind == 'lin': return sum(wi * P for wi, P in zip(w, ms))
    z = sum(wi * np.log(P + 1e-6) for wi, P in zip(w, ms)); z -= z.max(1, keepdims=True); e = np.exp(z); return e / e.sum(1, keepdims=True)
def choose(ms, y, grid, kind):
    best = None
    for w in grid:
        T, eps, loss = H.fit_cal(pool(ms, w, kind), y)
        if best is None or loss < best[0] - 1e-12: best = (loss, w, T, eps)
    return best[1:]
EQUAL = [(w, (1 - w) / 2, (1 - w) / 2) for w in H.W2]  # forest, linear, mlp
FREE = H.simplex(3)
RULES = {
  'shipped (lin, equal)': ('lin', EQUAL),
  'lin, free simplex': ('lin', FREE),
  'log-pool, equal': ('log', EQUAL),
  'log-pool, free': ('log', FREE),
  'lin, forest .1-.3 mlp-heavy': ('lin', [(f, l, round(1 - f - l, 2)) for f in (0.1, 0.2, 0.3) for l in (0.1, 0.2, 0.3)]),
}
if which: RULES = {k: v for k, v in RULES.items() if any(k.startswith(x) for x in which)}
for name, (kind, grid) in RULES.items():
    per = []
    for seed in seeds:
        o = H.load_seed(seed); fold = o['fold']; ms = [o['forest'], o['linear'], o['mlp']]
        p = np.zeros_like(ms[0]); chosen = []; var = {}
        vms = {k: (np.array(v)[:, :7], np.array(v)[:, 7:14], np.array(v)[:, 15:22]) for k, v in o['var'].items()}
        vsrc = {k: S[K == k] for k in vms}
        for k in vms: var[k] = np.zeros((len(vsrc[k]), 7))
        for f in range(5):
            te = fold == f
            w, T, eps = choose([m[~te] for m in ms], H.Yc[~te], grid, kind); chosen.append(w)
            p[te] = H.calibrate(pool([m[te] for m in ms], w, kind), T, eps)
            for k in vms:
                vt = fold[vsrc[k]] == f
                var[k][vt] = H.calibrate(pool([m[vt] for m in vms[k]], w, kind), T, eps)
        r = H.scores(p)
        cl = p.argmax(1)
        for k in vms:
            src = vsrc[k]; pv = var[k].argmax(1)
            r['unch_' + k] = (pv == cl[src]).mean(); r['acc_' + k] = (pv == H.Yc[src]).mean(); r['cleanacc_' + k] = (cl[src] == H.Yc[src]).mean()
            r['ece_' + k] = H.ece(var[k], H.Yc[src])
        r['w'] = chosen; per.append(r)
    f = lambda k: ' / '.join(f'{100*r[k]:.1f}' for r in per) + f' ({100*np.mean([r[k] for r in per]):.1f})'
    print(f'== {name}')
    print('  all', f('all'), '| RAV', f('rav'), 'F1', ' / '.join(f"{r['ravF1']:.3f}" for r in per), f"({np.mean([r['ravF1'] for r in per]):.3f})")
    print('  CRE', f('cre'), '| agreed', f('agr'), '| read', f('lib'), 'high', f('libHigh'), '| ECE', f"{np.mean([r['ece'] for r in per]):.3f}")
    if 'unch_minus24' in per[0]:
        print('  -24 changed', ' / '.join(str(round((1 - r['unch_minus24']) * (K == 'minus24').sum())) for r in per), '| unchanged', f('unch_minus24'))
        gaps = {k[4:]: np.mean([r['cleanacc_' + k[4:]] - r[k] for r in per]) for k in per[0] if k.startswith('acc_')}
        print('  gaps', ' '.join(f'{k} {100*v:.1f}' for k, v in gaps.items()), '| worst per seed', ' / '.join(f"{100*max(r['cleanacc_'+k]-r['acc_'+k] for k in gaps if k not in ('quiet','minus24')):.1f}" for r in per))
        print('  cond ECE max', f"{max(np.mean([r['ece_'+k] for r in per]) for k in gaps):.3f}")
    print('  weights', ' | '.join(' '.join('/'.join(f'{x:.1f}' for x in w) for w in r['w'][:2]) for r in per), flush=True)
