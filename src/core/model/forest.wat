;; The forest's split search (forest.ts, TreeGrower): for one node, draw features without replacement from the
;; forest's seeded generator (mulberry32, as random.ts) and scan each one's per-bin class histogram for the best
;; Gini split. The same draws, the same float64 sums in the same order as the JavaScript it replaced, so the same
;; trees bit for bit; the tree's recursion, partitioning and leaves stay in JavaScript.
;; The first `mtry` usable features of a node are drawn before any is scanned (the draws do not depend on the scans
;; until then) and their histograms built in one pass over the node's samples: each sample's index, class and weight
;; are read once for all of them, its codes from its own row. Fits took 0.90× the CPU of one feature at a time (20
;; trees on a fold, alternated); the histograms are now ~1/6 of the search, the walk over the bins the rest.
;; Layout (byte addresses, set once per forest by `layout`): codes (row-major bin codes, d bytes per sample),
;; thLen (i32 per feature: its thresholds; codes < thLen + 1), features (i32 permutation), drawn (i32 per batch
;; slot: the features being scanned), idx / yk (i32 per sample, node order), wk (f64 per sample), and per batch
;; slot: hist (f64, bins × C), cnt (i32 per bin), mask (four i64: the filled bins); left / totals (f64 per class),
;; present (i32 per class).
(module
  (memory (export "memory") 1)
  (global $state (mut i32) (i32.const 0))
  (global $codes (mut i32) (i32.const 0))
  (global $d (mut i32) (i32.const 0))
  (global $C (mut i32) (i32.const 0))
  (global $bins (mut i32) (i32.const 0))
  (global $thLen (mut i32) (i32.const 0))
  (global $features (mut i32) (i32.const 0))
  (global $drawn (mut i32) (i32.const 0))
  (global $idx (mut i32) (i32.const 0))
  (global $yk (mut i32) (i32.const 0))
  (global $wk (mut i32) (i32.const 0))
  (global $hist (mut i32) (i32.const 0))
  (global $cnt (mut i32) (i32.const 0))
  (global $left (mut i32) (i32.const 0))
  (global $totals (mut i32) (i32.const 0))
  (global $present (mut i32) (i32.const 0))
  (global $mask (mut i32) (i32.const 0))
  (global $best (mut f64) (f64.const 0))
  (global $bestF (mut i32) (i32.const 0))
  (global $bestBin (export "bestBin") (mut i32) (i32.const 0))

  (func (export "layout") (param $codes i32) (param $d i32) (param $C i32) (param $bins i32) (param $thLen i32) (param $features i32) (param $drawn i32)
    (param $idx i32) (param $yk i32) (param $wk i32) (param $hist i32) (param $cnt i32) (param $left i32) (param $totals i32) (param $present i32) (param $mask i32)
    (global.set $codes (local.get $codes)) (global.set $d (local.get $d)) (global.set $C (local.get $C)) (global.set $bins (local.get $bins))
    (global.set $thLen (local.get $thLen)) (global.set $features (local.get $features)) (global.set $drawn (local.get $drawn)) (global.set $idx (local.get $idx))
    (global.set $yk (local.get $yk)) (global.set $wk (local.get $wk)) (global.set $hist (local.get $hist)) (global.set $cnt (local.get $cnt))
    (global.set $left (local.get $left)) (global.set $totals (local.get $totals)) (global.set $present (local.get $present)) (global.set $mask (local.get $mask)))

  (func (export "seed") (param $s i32) (global.set $state (local.get $s)))

  ;; Math.floor(rand() · n), rand() = mulberry32's next u32 / 2^32: the f64 product rounds as JavaScript's does.
  (func $randInt (export "randInt") (param $n i32) (result i32)
    (local $t i32)
    (global.set $state (i32.add (global.get $state) (i32.const 0x6d2b79f5)))
    (local.set $t (global.get $state))
    (local.set $t (i32.mul (i32.xor (local.get $t) (i32.shr_u (local.get $t) (i32.const 15))) (i32.or (local.get $t) (i32.const 1))))
    (local.set $t (i32.xor (local.get $t)
      (i32.add (local.get $t) (i32.mul (i32.xor (local.get $t) (i32.shr_u (local.get $t) (i32.const 7))) (i32.or (local.get $t) (i32.const 61))))))
    (local.set $t (i32.xor (local.get $t) (i32.shr_u (local.get $t) (i32.const 14))))
    (i32.trunc_f64_u (f64.floor (f64.mul (f64.div (f64.convert_i32_u (local.get $t)) (f64.const 4294967296)) (f64.convert_i32_u (local.get $n))))))

  ;; Draw j (0-based) of the node: swap features[j] with features[j + randInt(d − j)]; the feature now at j.
  (func $draw (param $j i32) (result i32)
    (local $r i32) (local $at i32) (local $f i32)
    (local.set $r (i32.add (local.get $j) (call $randInt (i32.sub (global.get $d) (local.get $j)))))
    (local.set $at (i32.add (global.get $features) (i32.shl (local.get $r) (i32.const 2))))
    (local.set $f (i32.load (local.get $at)))
    (i32.store (local.get $at) (i32.load (i32.add (global.get $features) (i32.shl (local.get $j) (i32.const 2)))))
    (i32.store (i32.add (global.get $features) (i32.shl (local.get $j) (i32.const 2))) (local.get $f))
    (local.get $f))

  ;; Histograms of samples [lo, hi) over the bins of the m features in `drawn`, one batch slot each: per sample,
  ;; its class, weight and row are read once, and each feature's code from that row. Each cell's sum runs over
  ;; the samples in node order, as a scan of one feature alone would.
  (func $histograms (param $lo i32) (param $hi i32) (param $m i32)
    (local $k i32) (local $row i32) (local $y8 i32) (local $w f64) (local $q i32) (local $b i32) (local $at i32)
    (local $hq i32) (local $cq i32) (local $mq i32) (local $hStride i32) (local $cStride i32) (local $C8 i32)
    (local.set $hStride (i32.shl (i32.mul (global.get $bins) (global.get $C)) (i32.const 3)))
    (local.set $cStride (i32.shl (global.get $bins) (i32.const 2)))
    (local.set $C8 (i32.shl (global.get $C) (i32.const 3)))
    (local.set $k (local.get $lo))
    (block $sdone
      (loop $s
        (br_if $sdone (i32.ge_s (local.get $k) (local.get $hi)))
        (local.set $row (i32.add (global.get $codes) (i32.mul (i32.load (i32.add (global.get $idx) (i32.shl (local.get $k) (i32.const 2)))) (global.get $d))))
        (local.set $y8 (i32.shl (i32.load (i32.add (global.get $yk) (i32.shl (local.get $k) (i32.const 2)))) (i32.const 3)))
        (local.set $w (f64.load (i32.add (global.get $wk) (i32.shl (local.get $k) (i32.const 3)))))
        (local.set $hq (i32.add (global.get $hist) (local.get $y8)))
        (local.set $cq (global.get $cnt))
        (local.set $mq (global.get $mask))
        (local.set $q (i32.const 0))
        (block $qdone
          (loop $ql
            (br_if $qdone (i32.ge_u (local.get $q) (local.get $m)))
            (local.set $b (i32.load8_u (i32.add (local.get $row) (i32.load (i32.add (global.get $drawn) (i32.shl (local.get $q) (i32.const 2)))))))
            (local.set $at (i32.add (local.get $cq) (i32.shl (local.get $b) (i32.const 2))))
            (i32.store (local.get $at) (i32.add (i32.load (local.get $at)) (i32.const 1)))
            (local.set $at (i32.add (local.get $mq) (i32.shl (i32.shr_u (local.get $b) (i32.const 6)) (i32.const 3))))
            (i64.store (local.get $at) (i64.or (i64.load (local.get $at)) (i64.shl (i64.const 1) (i64.extend_i32_u (i32.and (local.get $b) (i32.const 63))))))
            (local.set $at (i32.add (local.get $hq) (i32.mul (local.get $b) (local.get $C8))))
            (f64.store (local.get $at) (f64.add (f64.load (local.get $at)) (local.get $w)))
            (local.set $hq (i32.add (local.get $hq) (local.get $hStride)))
            (local.set $cq (i32.add (local.get $cq) (local.get $cStride)))
            (local.set $mq (i32.add (local.get $mq) (i32.const 32)))
            (local.set $q (i32.add (local.get $q) (i32.const 1)))
            (br $ql)))
        (local.set $k (i32.add (local.get $k) (i32.const 1)))
        (br $s))))

  ;; The bins of batch slot q (feature f) in ascending order, left side empty first: each split's Gini score
  ;; against $best, the slot's histogram, counts and mask cleared on the way (for the next node).
  (func $walk (param $q i32) (param $f i32) (param $count i32) (param $W f64) (param $nonzero i32) (param $minLeaf i32) (param $words i32)
    (local $th i32) (local $hist i32) (local $cnt i32) (local $mask i32)
    (local $b i32) (local $m i64) (local $word i32) (local $low i64) (local $p i32) (local $c i32)
    (local $nl i32) (local $stop i32) (local $nb0 i32) (local $hb i32) (local $at i32)
    (local $l f64) (local $r2 f64) (local $sl f64) (local $sr f64) (local $WL f64) (local $WR f64) (local $score f64)
    (local.set $th (i32.load (i32.add (global.get $thLen) (i32.shl (local.get $f) (i32.const 2)))))
    (local.set $hist (i32.add (global.get $hist) (i32.mul (local.get $q) (i32.shl (i32.mul (global.get $bins) (global.get $C)) (i32.const 3)))))
    (local.set $cnt (i32.add (global.get $cnt) (i32.mul (local.get $q) (i32.shl (global.get $bins) (i32.const 2)))))
    (local.set $mask (i32.add (global.get $mask) (i32.shl (local.get $q) (i32.const 5))))
    (local.set $p (i32.const 0))
    (block $zdone
      (loop $z
        (br_if $zdone (i32.ge_s (local.get $p) (local.get $nonzero)))
        (f64.store (i32.add (global.get $left) (i32.shl (i32.load (i32.add (global.get $present) (i32.shl (local.get $p) (i32.const 2)))) (i32.const 3))) (f64.const 0))
        (local.set $p (i32.add (local.get $p) (i32.const 1)))
        (br $z)))
    (block $wdone
      (loop $w
        (br_if $wdone (i32.ge_s (local.get $word) (local.get $words)))
        (local.set $at (i32.add (local.get $mask) (i32.shl (local.get $word) (i32.const 3))))
        (local.set $m (i64.load (local.get $at)))
        (i64.store (local.get $at) (i64.const 0))
        (block $bdone
          (loop $bin
            (br_if $bdone (i64.eqz (local.get $m)))
            (local.set $low (i64.and (local.get $m) (i64.sub (i64.const 0) (local.get $m))))
            (local.set $m (i64.xor (local.get $m) (local.get $low)))
            (local.set $b (i32.add (i32.shl (local.get $word) (i32.const 6)) (i32.wrap_i64 (i64.ctz (local.get $low)))))
            (local.set $at (i32.add (local.get $cnt) (i32.shl (local.get $b) (i32.const 2))))
            (local.set $nb0 (i32.load (local.get $at)))
            (i32.store (local.get $at) (i32.const 0))
            (local.set $hb (i32.add (local.get $hist) (i32.shl (i32.mul (local.get $b) (global.get $C)) (i32.const 3))))
            (if (i32.or (local.get $stop) (i32.ge_s (local.get $b) (local.get $th)))
              (then
                ;; Past the last threshold (or the early stop): clear the bin, score nothing.
                (local.set $p (i32.const 0))
                (block $cdone
                  (loop $clr
                    (br_if $cdone (i32.ge_s (local.get $p) (local.get $nonzero)))
                    (f64.store (i32.add (local.get $hb) (i32.shl (i32.load (i32.add (global.get $present) (i32.shl (local.get $p) (i32.const 2)))) (i32.const 3))) (f64.const 0))
                    (local.set $p (i32.add (local.get $p) (i32.const 1)))
                    (br $clr)))
                (br $bin)))
            ;; One pass over the present classes: the left side, and the sums the score needs, in class order.
            (local.set $sl (f64.const 0)) (local.set $sr (f64.const 0)) (local.set $WL (f64.const 0))
            (local.set $p (i32.const 0))
            (block $pdone
              (loop $pl
                (br_if $pdone (i32.ge_s (local.get $p) (local.get $nonzero)))
                (local.set $c (i32.shl (i32.load (i32.add (global.get $present) (i32.shl (local.get $p) (i32.const 2)))) (i32.const 3)))
                (local.set $l (f64.add (f64.load (i32.add (global.get $left) (local.get $c))) (f64.load (i32.add (local.get $hb) (local.get $c)))))
                (f64.store (i32.add (global.get $left) (local.get $c)) (local.get $l))
                (f64.store (i32.add (local.get $hb) (local.get $c)) (f64.const 0))
                (local.set $r2 (f64.sub (f64.load (i32.add (global.get $totals) (local.get $c))) (local.get $l)))
                (local.set $WL (f64.add (local.get $WL) (local.get $l)))
                (local.set $sl (f64.add (local.get $sl) (f64.mul (local.get $l) (local.get $l))))
                (local.set $sr (f64.add (local.get $sr) (f64.mul (local.get $r2) (local.get $r2))))
                (local.set $p (i32.add (local.get $p) (i32.const 1)))
                (br $pl)))
            (local.set $nl (i32.add (local.get $nl) (local.get $nb0)))
            (br_if $bin (i32.lt_s (local.get $nl) (local.get $minLeaf)))
            (if (i32.lt_s (i32.sub (local.get $count) (local.get $nl)) (local.get $minLeaf))
              (then (local.set $stop (i32.const 1)) (br $bin)))
            (local.set $WR (f64.sub (local.get $W) (local.get $WL)))
            (br_if $bin (i32.or (f64.le (local.get $WL) (f64.const 0)) (f64.le (local.get $WR) (f64.const 0))))
            (local.set $score (f64.add (f64.div (local.get $sl) (local.get $WL)) (f64.div (local.get $sr) (local.get $WR))))
            (if (f64.gt (local.get $score) (global.get $best))
              (then (global.set $best (local.get $score)) (global.set $bestF (local.get $f)) (global.set $bestBin (local.get $b))))
            (br $bin)))
        (local.set $word (i32.add (local.get $word) (i32.const 1)))
        (br $w))))

  ;; The best split of samples [lo, hi): the feature (−1: none), its bin in $bestBin. `best` is the score to beat
  ;; (the parent's + 1e-12); totals and present (`nonzero` classes) are filled by the caller. Like scikit-learn,
  ;; draws go on past `mtry` until a valid split is found: those one at a time, since each depends on the scans
  ;; before it. Bins are visited in ascending order through a mask of filled bins: one i64 when every code is < 64
  ;; (`narrow`), else four (codes are bytes).
  (func (export "split") (param $lo i32) (param $hi i32) (param $W f64) (param $nonzero i32) (param $best f64) (param $minLeaf i32) (param $mtry i32) (param $narrow i32) (result i32)
    (local $j i32) (local $f i32) (local $m i32) (local $q i32) (local $count i32) (local $words i32)
    (global.set $best (local.get $best))
    (global.set $bestF (i32.const -1))
    (local.set $count (i32.sub (local.get $hi) (local.get $lo)))
    (local.set $words (select (i32.const 1) (i32.const 4) (local.get $narrow)))
    ;; The first mtry usable features, drawn, then scanned together.
    (block $drawn
      (loop $d1
        (br_if $drawn (i32.or (i32.ge_s (local.get $j) (global.get $d)) (i32.ge_s (local.get $m) (local.get $mtry))))
        (local.set $f (call $draw (local.get $j)))
        (local.set $j (i32.add (local.get $j) (i32.const 1)))
        (br_if $d1 (i32.eqz (i32.load (i32.add (global.get $thLen) (i32.shl (local.get $f) (i32.const 2))))))
        (i32.store (i32.add (global.get $drawn) (i32.shl (local.get $m) (i32.const 2))) (local.get $f))
        (local.set $m (i32.add (local.get $m) (i32.const 1)))
        (br $d1)))
    (call $histograms (local.get $lo) (local.get $hi) (local.get $m))
    (block $walked
      (loop $wl
        (br_if $walked (i32.ge_u (local.get $q) (local.get $m)))
        (call $walk (local.get $q) (i32.load (i32.add (global.get $drawn) (i32.shl (local.get $q) (i32.const 2))))
          (local.get $count) (local.get $W) (local.get $nonzero) (local.get $minLeaf) (local.get $words))
        (local.set $q (i32.add (local.get $q) (i32.const 1)))
        (br $wl)))
    ;; Then, while no split is valid, one more at a time.
    (block $more
      (loop $d2
        (br_if $more (i32.or (i32.ge_s (local.get $j) (global.get $d)) (i32.ge_s (global.get $bestF) (i32.const 0))))
        (local.set $f (call $draw (local.get $j)))
        (local.set $j (i32.add (local.get $j) (i32.const 1)))
        (br_if $d2 (i32.eqz (i32.load (i32.add (global.get $thLen) (i32.shl (local.get $f) (i32.const 2))))))
        (i32.store (global.get $drawn) (local.get $f))
        (call $histograms (local.get $lo) (local.get $hi) (i32.const 1))
        (call $walk (i32.const 0) (local.get $f) (local.get $count) (local.get $W) (local.get $nonzero) (local.get $minLeaf) (local.get $words))
        (br $d2)))
    (global.get $bestF))
)
