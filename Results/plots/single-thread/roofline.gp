# attnbench plot: the roofline. Arithmetic intensity (useful flops per compulsory byte) on x, GFLOP/s on y,
# log-log; one point per ok row, one colour per kernel or peer and thread count; for every thread count the
# measured roof min(FMA peak, bandwidth × intensity): the slope is the read-bandwidth probe, the ceiling the
# FMA probe (columns bandwidth_gbs and peak_gflops). A point on its roof is as fast as the machine allows.
#   gnuplot -e "data='Results/x.csv'; out='roofline.png'" Scripts/roofline.gp
# Optional: term='png'|'svg'|'pdf', title_extra='...'. Reads a results CSV; rows with status ok only.
# Intensity = gflop·10⁹ / min_bytes; where min_bytes is empty (a CSV written before the column existed) it is
# computed from the shape as attnbench does: 4·(B·H·q·d + 2·B·Hkv·Nk·d + B·H·Nq·d), q = min(Nq, Nk) if causal.
script_name = "roofline"
needed = "kernel batch heads kv_heads seq_q seq_kv head_dim causal threads pin gflops gflop bandwidth_gbs peak_gflops"
load (ARG0[1:strlen(ARG0)-strlen("roofline.gp")] . "attnbench-common.gp")

mn(a, b) = a < b ? a : b
mx(a, b) = a > b ? a : b
shape_bytes(r) = 4.0 * (column("batch") * column("heads") * column("head_dim") * \
        ((strcol("causal") eq "true" ? mn(column("seq_q"), column("seq_kv")) : column("seq_q")) + column("seq_q")) \
    + 2.0 * column("batch") * column("kv_heads") * column("seq_kv") * column("head_dim"))
min_bytes(r) = isnum(num("min_bytes")) && num("min_bytes") > 0 ? column("min_bytes") : shape_bytes(0)
intensity(r) = column("gflop") * 1e9 / min_bytes(0)
use(r) = ok(0) && isnum(column("gflops")) && column("gflops") > 0 && isnum(column("gflop")) && column("gflop") > 0
# A series: kernel (or peer) and thread count; the pin policy too when it varies.
pins = ""
stats data using (use(0) ? (pins = addto(pins, strcol("pin")), 0) : 0) nooutput
series_of(r) = strcol("kernel") . "|" . strcol("threads") . (words(pins) > 1 ? "|" . strcol("pin") : "")
keys = ""; kernels = ""; threads = ""; machine = ""
ai_lo = 1e300; ai_hi = 0; y_lo = 1e300; y_hi = 0
stats data using (use(0) ? (keys = addto(keys, series_of(0)), kernels = addto(kernels, strcol("kernel")), \
    threads = addto(threads, strcol("threads")), machine = (strlen(machine) > 0 ? machine : machine_of_row(0)), \
    ai_lo = mn(ai_lo, intensity(0)), ai_hi = mx(ai_hi, intensity(0)), \
    y_lo = mn(y_lo, column("gflops")), y_hi = mx(y_hi, column("gflops")), 0) : 0) nooutput
if (words(keys) == 0) { print sprintf('attnbench: %s has no ok rows for %s', data, script_name); @discard; exit status 1 }

# The roof of each thread count: the highest bandwidth and peak any ok row with that many threads reports.
roof_threads = ""; roof_bw = ""; roof_peak = ""
do for [t in threads] {
    bw = 0; pk = 0
    stats data using (use(0) && strcol("threads") eq t && isnum(num("bandwidth_gbs")) && isnum(num("peak_gflops")) ? \
        (bw = mx(bw, column("bandwidth_gbs")), pk = mx(pk, column("peak_gflops")), 0) : 0) nooutput
    if (bw > 0 && pk > 0) {
        roof_threads = roof_threads . " " . t; roof_bw = roof_bw . " " . sprintf("%g", bw)
        roof_peak = roof_peak . " " . sprintf("%g", pk)
        ai_lo = mn(ai_lo, pk / bw); ai_hi = mx(ai_hi, pk / bw); y_hi = mx(y_hi, pk)
    }
}
if (words(roof_threads) == 0) {
    print sprintf("attnbench: %s has no row with both bandwidth_gbs and peak_gflops, so no roof to draw", data)
    @discard; exit status 1
}
do for [j=1:words(roof_threads)] { y_lo = mn(y_lo, real(word(roof_bw, j)) * ai_lo / 2) }

series_title(k) = field(k, 1) . ", " . field(k, 2) . (field(k, 2) eq "1" ? " thread" : " threads") . \
    (strlen(field(k, 3)) > 0 ? (field(k, 3) eq "none" ? ", unpinned" : ", pin " . field(k, 3)) : "")
roof_title(j) = sprintf("roof, %s thread%s: %.1f GB/s, %.0f GFLOP/s", word(roof_threads, j), \
    word(roof_threads, j) eq "1" ? "" : "s", real(word(roof_bw, j)), real(word(roof_peak, j)))
roof_dt(j) = j == 1 ? 1 : j + 1
roof(j, x) = mn(real(word(roof_peak, j)), real(word(roof_bw, j)) * x)
series_lt(i) = position(kernels, field(word(keys, i), 1))
series_pt(i) = 5 + 2 * (position(threads, field(word(keys, i), 2)) - 1)

set title title_head("Roofline: measured throughput against bandwidth and FMA peak") . \
    (strlen(machine) > 0 ? "\n" . machine : "") noenhanced
set xlabel "arithmetic intensity (useful flop per compulsory byte)"
set ylabel "throughput (GFLOP/s)"
set logscale xy 10
set format x "%g"
set format y "%g"
set xrange [ai_lo / 2 : ai_hi * 2]
set yrange [y_lo / 2 : y_hi * 2]
set samples 400
plot for [j=1:words(roof_threads)] roof(j, x) with lines lc rgb "#333333" dt roof_dt(j) lw 2 title roof_title(j), \
     for [i=1:words(keys)] data using (intensity(0)):(use(0) && series_of(0) eq word(keys, i) ? column("gflops") : NaN) \
        with points lt series_lt(i) pt series_pt(i) ps 1.3 title series_title(word(keys, i))
