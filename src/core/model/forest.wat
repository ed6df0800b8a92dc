;; The forest's split search (forest.ts, TreeGrower): for one node, draw features without replacement from the
;; forest's seeded generator (mulberry32, as random.ts) and scan each one's per-bin class histogram for the best
;; Gini split. The same draws, the same float64 sums in the same order as the JavaScript it replaced, so the same
;; trees bit for bit; the tree's recursion, partitioning and leaves stay in JavaScript.
;; Layout (byte addresses, set once per forest by `layout`): codes (column-major bin codes, n bytes per feature),
;; thLen (i32 per feature: its thresholds; codes < thLen + 1), features (i32 permutation), idx / yk (i32 per
;; sample, node order), wk (f64 per sample), hist (f64, (bins + 1) × C), cnt (i32 per bin), left / totals (f64 per
;; class), present (i32 per class), mask (four i64: the filled bins, when codes reach 64 or more).
(module
  (memory (export "memory") 1)
  (global $state (mut i32) (i32.const 0))
  (global $codes (mut i32) (i32.const 0))
  (global $n (mut i32) (i32.const 0))
  (global $d (mut i32) (i32.const 0))
  (global $C (mut i32) (i32.const 0))
  (global $thLen (mut i32) (i32.const 0))
  (global $features (mut i32) (i32.const 0))
  (global $idx (mut i32) (i32.const 0))
  (global $yk (mut i32) (i32.const 0))
  (global $wk (mut i32) (i32.const 0))
  (global $hist (mut i32) (i32.const 0))
  (global $cnt (mut i32) (i32.const 0))
  (global $left (mut i32) (i32.const 0))
  (global $totals (mut i32) (i32.const 0))
  (global $present (mut i32) (i32.const 0))
  (global $mask (mut i32) (i32.const 0))
  (global $bestBin (export "bestBin") (mut i32) (i32.const 0))

  (func (export "layout") (param $codes i32) (param $n i32) (param $d i32) (param $C i32) (param $thLen i32) (param $features i32)
    (param $idx i32) (param $yk i32) (param $wk i32) (param $hist i32) (param $cnt i32) (param $left i32) (param $totals i32) (param $present i32) (param $mask i32)
    (global.set $codes (local.get $codes)) (global.set $n (local.get $n)) (global.set $d (local.get $d)) (global.set $C (local.get $C))
    (global.set $thLen (local.get $thLen)) (global.set $features (local.get $features)) (global.set $idx (local.get $idx))
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

  ;; The best split of samples [lo, hi): the feature (−1: none), its bin in $bestBin. `best` is the score to beat
  ;; (the parent's + 1e-12); totals and present (`nonzero` classes) are filled by the caller. Like scikit-learn,
  ;; draws go on past `mtry` until a valid split is found. Bins visited in ascending order through a bitmask:
  ;; one i64 when every code is < 64, else four words in `mask` memory (codes are bytes).
  (func (export "split") (param $lo i32) (param $hi i32) (param $W f64) (param $nonzero i32) (param $best f64) (param $minLeaf i32) (param $mtry i32) (param $narrow i32) (result i32)
    (local $j i32) (local $r i32) (local $f i32) (local $drawn i32) (local $bestF i32) (local $th i32) (local $col i32)
    (local $k i32) (local $b i32) (local $m i64) (local $word i32) (local $low i64) (local $p i32) (local $c i32)
    (local $nl i32) (local $stop i32) (local $nb0 i32) (local $hb i32) (local $count i32)
    (local $l f64) (local $r2 f64) (local $sl f64) (local $sr f64) (local $WL f64) (local $WR f64) (local $score f64)
    (local $at i32) (local $words i32)
    (local.set $bestF (i32.const -1))
    (local.set $count (i32.sub (local.get $hi) (local.get $lo)))
    (local.set $words (select (i32.const 1) (i32.const 4) (local.get $narrow)))
    (local.set $j (i32.const 0))
    (block $draws
      (loop $draw
        (br_if $draws (i32.ge_s (local.get $j) (global.get $d)))
        (br_if $draws (i32.and (i32.ge_s (local.get $drawn) (local.get $mtry)) (i32.ge_s (local.get $bestF) (i32.const 0))))
        ;; Swap features[j] with features[j + randInt(d − j)].
        (local.set $r (i32.add (local.get $j) (call $randInt (i32.sub (global.get $d) (local.get $j)))))
        (local.set $at (i32.add (global.get $features) (i32.shl (local.get $r) (i32.const 2))))
        (local.set $f (i32.load (local.get $at)))
        (i32.store (local.get $at) (i32.load (i32.add (global.get $features) (i32.shl (local.get $j) (i32.const 2)))))
        (i32.store (i32.add (global.get $features) (i32.shl (local.get $j) (i32.const 2))) (local.get $f))
        (local.set $j (i32.add (local.get $j) (i32.const 1)))
        (local.set $th (i32.load (i32.add (global.get $thLen) (i32.shl (local.get $f) (i32.const 2)))))
        (br_if $draw (i32.eqz (local.get $th)))
        (local.set $drawn (i32.add (local.get $drawn) (i32.const 1)))
        (local.set $col (i32.add (global.get $codes) (i32.mul (local.get $f) (global.get $n))))
        ;; Histogram of the node's samples over this feature's bins, and which bins are filled.
        (local.set $m (i64.const 0))
        (local.set $k (local.get $lo))
        (block $sdone
          (loop $s
            (br_if $sdone (i32.ge_s (local.get $k) (local.get $hi)))
            (local.set $b (i32.load8_u (i32.add (local.get $col) (i32.load (i32.add (global.get $idx) (i32.shl (local.get $k) (i32.const 2)))))))
            (local.set $at (i32.add (global.get $cnt) (i32.shl (local.get $b) (i32.const 2))))
            (i32.store (local.get $at) (i32.add (i32.load (local.get $at)) (i32.const 1)))
            (if (local.get $narrow)
              (then (local.set $m (i64.or (local.get $m) (i64.shl (i64.const 1) (i64.extend_i32_u (local.get $b))))))
              (else
                (local.set $at (i32.add (global.get $mask) (i32.shl (i32.shr_u (local.get $b) (i32.const 6)) (i32.const 3))))
                (i64.store (local.get $at) (i64.or (i64.load (local.get $at)) (i64.shl (i64.const 1) (i64.extend_i32_u (i32.and (local.get $b) (i32.const 63))))))))
            (local.set $at (i32.add (global.get $hist)
              (i32.shl (i32.add (i32.mul (local.get $b) (global.get $C)) (i32.load (i32.add (global.get $yk) (i32.shl (local.get $k) (i32.const 2))))) (i32.const 3))))
            (f64.store (local.get $at) (f64.add (f64.load (local.get $at)) (f64.load (i32.add (global.get $wk) (i32.shl (local.get $k) (i32.const 3))))))
            (local.set $k (i32.add (local.get $k) (i32.const 1)))
            (br $s)))
        ;; Left side empty; then every filled bin in ascending order.
        (local.set $p (i32.const 0))
        (block $zdone
          (loop $z
            (br_if $zdone (i32.ge_s (local.get $p) (local.get $nonzero)))
            (f64.store (i32.add (global.get $left) (i32.shl (i32.load (i32.add (global.get $present) (i32.shl (local.get $p) (i32.const 2)))) (i32.const 3))) (f64.const 0))
            (local.set $p (i32.add (local.get $p) (i32.const 1)))
            (br $z)))
        (local.set $nl (i32.const 0))
        (local.set $stop (i32.const 0))
        (local.set $word (i32.const 0))
        (block $wdone
          (loop $w
            (br_if $wdone (i32.ge_s (local.get $word) (local.get $words)))
            (if (i32.eqz (local.get $narrow))
              (then
                (local.set $at (i32.add (global.get $mask) (i32.shl (local.get $word) (i32.const 3))))
                (local.set $m (i64.load (local.get $at)))
                (i64.store (local.get $at) (i64.const 0))))
            (block $bdone
              (loop $bin
                (br_if $bdone (i64.eqz (local.get $m)))
                (local.set $low (i64.and (local.get $m) (i64.sub (i64.const 0) (local.get $m))))
                (local.set $m (i64.xor (local.get $m) (local.get $low)))
                (local.set $b (i32.add (i32.shl (local.get $word) (i32.const 6)) (i32.wrap_i64 (i64.ctz (local.get $low)))))
                (local.set $at (i32.add (global.get $cnt) (i32.shl (local.get $b) (i32.const 2))))
                (local.set $nb0 (i32.load (local.get $at)))
                (i32.store (local.get $at) (i32.const 0))
                (local.set $hb (i32.add (global.get $hist) (i32.shl (i32.mul (local.get $b) (global.get $C)) (i32.const 3))))
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
                (if (f64.gt (local.get $score) (local.get $best))
                  (then (local.set $best (local.get $score)) (local.set $bestF (local.get $f)) (global.set $bestBin (local.get $b))))
                (br $bin)))
            (local.set $word (i32.add (local.get $word) (i32.const 1)))
            (br $w)))
        (br $draw)))
    (local.get $bestF))
)
