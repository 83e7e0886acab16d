// Generated from Scripts/*.gp by PlottingTests.EmbeddedScriptsTests
// (ATTNBENCH_UPDATE_EMBEDDED_SCRIPTS=1 swift test --filter PlottingTests.EmbeddedScriptsTests). Do not edit.

/// Byte-identical copies of the gnuplot scripts in `Scripts/`, so that the binary works without a checkout.
public enum EmbeddedScripts {
    /// The file every script loads from its own folder.
    public static let commonName = "attnbench-common.gp"

    public static let files: [String: String] = [
        "attnbench-common.gp": #"""
# attnbench-common.gp: shared setup for the attnbench gnuplot scripts; each script loads it from its own folder.
#
# Variables (set with gnuplot -e "data='...'; out='...'" before the script name):
#   data         the CSV to read (required)
#   out          the image to write (default: the data path with the script's extension)
#   term         png | svg | pdf (default: from the extension of out, else png)
#   title_extra  text appended to the title
#
# A script sets before loading this file: needed (space-separated columns it reads), and optionally
# plot_w, plot_h (pixels at 100 dpi; default 1000 x 700).
#
# Results files: only rows with status "ok" are used; a row is one (kernel, shape, threads, pin).
# Shapes are split into dimensions 1..9: kernel, causal, batch, heads, kv_heads, seq, head_dim, threads, pin.
# A plot sweeps one dimension along x (xdim); every distinct combination of the others is one series, and
# dimensions that are the same for every series go into the title instead of the legend.

if (!exists("data")) {
    print "attnbench: set the input, e.g. gnuplot -e \"data='Results/x.csv'; out='x.png'\" Scripts/time_vs_seq.gp"
    exit status 2
}
if (system(sprintf("test -r '%s' && echo yes", data)) ne "yes") {
    print sprintf("attnbench: cannot read %s", data)
    exit status 1
}
if (!exists("script_name")) script_name = "plot"
if (!exists("term")) {
    term = exists("out") ? \
        (out[strlen(out)-3:] eq ".svg" ? "svg" : out[strlen(out)-3:] eq ".pdf" ? "pdf" : "png") : "png"
}
if (!exists("out")) out = data[1:strlen(data)-4] . "-" . script_name . "." . term
if (!exists("title_extra")) title_extra = ""
if (!exists("plot_w")) plot_w = 1000
if (!exists("plot_h")) plot_h = 700

# Columns present in the header (compared after lower-casing and turning spaces and dashes into _).
header_line = system(sprintf("head -n 1 '%s' | tr -d '\\r' | tr 'A-Z -' 'a-z__'", data))
hascol(name) = strstrt("," . header_line . ",", "," . name . ",") > 0
colindex(name) = int(system(sprintf("echo '%s' | awk -F, '{for(i=1;i<=NF;i++) if($i==\"%s\"){print i; exit} print 0}'", header_line, name)))
if (!exists("needed")) needed = ""
missing_columns = ""
do for [c in needed] { if (!hascol(c)) { missing_columns = missing_columns . " " . c } }
if (strlen(missing_columns) > 0) {
    print sprintf("attnbench: %s lacks the column(s)%s that %s needs", data, missing_columns, script_name)
    exit status 1
}

# `@setterm` (again) after changing plot_w or plot_h.
setterm = "if (term eq 'png') { set terminal pngcairo size plot_w, plot_h enhanced font 'DejaVu Sans,11' linewidth 1.5 background rgb 'white' }; \
    if (term eq 'svg') { set terminal svg size plot_w, plot_h dynamic enhanced font 'DejaVu Sans,11' linewidth 1.5 background rgb 'white' }; \
    if (term eq 'pdf') { set terminal pdfcairo size (plot_w / 100.0), (plot_h / 100.0) enhanced font 'DejaVu Sans,8' linewidth 1.5 }; \
    set output out"
if (term ne "png" && term ne "svg" && term ne "pdf") {
    print sprintf("attnbench: unknown term '%s' (use png, svg or pdf)", term)
    exit status 2
}
@setterm

set datafile separator ","
set datafile columnheaders
set encoding utf8
set grid xtics ytics mxtics mytics lc rgb "#dddddd" lw 0.5 dt 1
set border 3
set tics nomirror
set key outside below center horizontal Left reverse noenhanced samplen 2.5 spacing 1.1 width 1 maxcols 3
set title noenhanced
# Eight colours that stay apart in print and for common colour blindness (Okabe–Ito, plus grey).
set linetype 1 lc rgb "#0072B2" pt 7 ps 1.1
set linetype 2 lc rgb "#D55E00" pt 5 ps 1.0
set linetype 3 lc rgb "#009E73" pt 9 ps 1.2
set linetype 4 lc rgb "#CC79A7" pt 11 ps 1.2
set linetype 5 lc rgb "#E69F00" pt 13 ps 1.2
set linetype 6 lc rgb "#56B4E9" pt 15 ps 1.1
set linetype 7 lc rgb "#000000" pt 4 ps 1.0
set linetype 8 lc rgb "#999999" pt 6 ps 1.0
set linetype cycle 8

# Lists of words without repeats, in order of first appearance.
addto(list, v) = strstrt(list, " " . v . " ") > 0 ? list : list . " " . v . " "
position(list, v) = sum [i=1:words(list)] (word(list, i) eq v ? i : 0)
# Field n of a |-separated key.
bar(s) = strstrt(s, "|")
field(s, n) = n <= 1 ? (bar(s) > 0 ? s[1:bar(s)-1] : s) : (bar(s) > 0 ? field(s[bar(s)+1:], n - 1) : "")
isnum(x) = x == x && abs(x) < 1e300
num(c) = hascol(c) ? column(c) : NaN

# One row of a results file.
ok(r) = hascol("status") ? strcol("status") eq "ok" : 1
ndim = 9
dimcol(d) = word("kernel causal batch heads kv_heads seq head_dim threads pin", d)
# The raw value of dimension d in this row; kv_heads is "-" when equal to heads (plain multi-head attention),
# seq is the key length, with the query length in front when it differs ("1:4096" for one decode step).
raw(d) = d == 1 ? strcol("kernel") : d == 2 ? strcol("causal") : d == 5 ? \
    (strcol("kv_heads") eq strcol("heads") ? "-" : strcol("kv_heads")) : d == 6 ? \
    (strcol("seq_q") eq strcol("seq_kv") ? strcol("seq_kv") : strcol("seq_q") . ":" . strcol("seq_kv")) : \
    strcol(dimcol(d))
# Along x the seq dimension keeps only whether it is self-attention.
part(d) = d != xdim ? raw(d) : (d == 6 && strcol("seq_q") ne strcol("seq_kv") ? "q" . strcol("seq_q") : "*")
rowkey(r) = part(1) . "|" . part(2) . "|" . part(3) . "|" . part(4) . "|" . part(5) . "|" . part(6) . "|" \
    . part(7) . "|" . part(8) . "|" . part(9)
# How a dimension's value reads in a legend or title.
pretty(d, v) = v eq "*" || v eq "-" ? "" : d == 1 ? v : d == 2 ? (v eq "true" ? "causal" : "no mask") : \
    d == 3 ? "batch " . v : d == 4 ? v . " heads" : d == 5 ? v . " kv-heads" : \
    d == 6 ? (v[1:1] eq "q" ? "q-len " . v[2:] : strstrt(v, ":") > 0 ? "Nq " . v[1:strstrt(v, ":")-1] . " Nk " . v[strstrt(v, ":")+1:] : "N=" . v) : \
    d == 7 ? "d=" . v : d == 8 ? v . (v eq "1" ? " thread" : " threads") : (v eq "none" ? "unpinned" : "pin " . v)
joined(a, b) = strlen(a) == 0 ? b : strlen(b) == 0 ? a : a . ", " . b

# Collects the series: every row passing use(0) adds its key to `keys` and its values to the dimension lists.
# A script defines use(0) (usually ok(0) plus valid x and y values) and xdim before calling this macro.
collect = "keys = ''; dv1 = ''; dv2 = ''; dv3 = ''; dv4 = ''; dv5 = ''; dv6 = ''; dv7 = ''; dv8 = ''; dv9 = ''; machine = ''; \
    stats data using (use(0) ? (keys = addto(keys, rowkey(0)), dv1 = addto(dv1, part(1)), dv2 = addto(dv2, part(2)), \
    dv3 = addto(dv3, part(3)), dv4 = addto(dv4, part(4)), dv5 = addto(dv5, part(5)), dv6 = addto(dv6, part(6)), \
    dv7 = addto(dv7, part(7)), dv8 = addto(dv8, part(8)), dv9 = addto(dv9, part(9)), \
    machine = (strlen(machine) > 0 ? machine : machine_of_row(0)), 0) : 0) nooutput"
machine_of_row(r) = hascol("cpu_model") ? strcol("cpu_model") . \
    (hascol("host") ? " (" . strcol("host") . (hascol("cores") ? ", " . strcol("cores") . " cores" : "") . ")" : "") : \
    hascol("host") ? "host " . strcol("host") : ""
dvals(d) = d == 1 ? dv1 : d == 2 ? dv2 : d == 3 ? dv3 : d == 4 ? dv4 : d == 5 ? dv5 : d == 6 ? dv6 : d == 7 ? dv7 : d == 8 ? dv8 : dv9
varies(d) = words(dvals(d)) > 1
# The legend entry of series k: the kernel and whatever else differs between series.
label_of(k) = label_from(k, 1, "")
label_from(k, d, acc) = d > ndim ? acc : \
    label_from(k, d + 1, (d == 1 || varies(d)) ? joined(acc, pretty(d, field(k, d))) : acc)
# What every series shares, for the title (the kernel only when there is one).
shared_from(d, acc) = d > ndim ? acc : \
    shared_from(d + 1, (!varies(d) && (d != 1 || words(dv1) == 1)) ? joined(acc, pretty(d, field(word(keys, 1), d))) : acc)
shared(r) = shared_from(1, "")
# Colour by kernel when there are several, else by series; causal series are dashed when masks differ.
series_lt(i) = words(dv1) > 1 ? position(dv1, field(word(keys, i), 1)) : i
series_dt(i) = varies(2) && field(word(keys, i), 2) eq "true" ? 2 : 1
title_head(what) = what . (strlen(title_extra) > 0 ? " " . title_extra : "")
make_title(what) = title_head(what) . (strlen(shared(0)) == 0 ? "" : \
    (strlen(title_head(what)) + strlen(shared(0)) > 70 ? "\n" : " — ") . shared(0)) . \
    (strlen(machine) > 0 ? "\n" . machine : "")
# Closes and deletes the half-made image before a script gives up: `@discard; exit status 1`.
discard = "set output; discard_status = system(sprintf(\"rm -f '%s'\", out))"
no_rows = "if (words(keys) == 0) { print sprintf('attnbench: %s has no ok rows for %s', data, script_name); @discard; exit status 1 }"
# Writes the selected (x, y) pairs of each series into $D, one index per series, for `smooth unique`.
tabulate = "set print $D; unset print; do for [i=1:words(keys)] { set table $D append; \
    plot data using (xval(0)):(yval(0)) with table if (use(0) && rowkey(0) eq word(keys, i)); unset table; \
    set print $D append; print ''; print ''; unset print }; set datafile separator whitespace; set datafile nocolumnheaders"

"""#,
        "compare.gp": #"""
# attnbench plot 6: candidate / baseline ratio of the medians per benchmark, from `attnbench compare --format csv`,
# with the ratio's confidence interval as error bars and the no-change band 1 ± threshold shaded per row.
# Points are coloured by verdict; rows without a ratio (missing, unmatched) are left out. gnuplot cuts a
# benchmark name at a comma even inside quotes, so such names show only up to the comma.
#   gnuplot -e "data='Results/compare.csv'; out='compare.png'" Scripts/compare.gp
# Optional: term='png'|'svg'|'pdf', title_extra='...'. Columns are found by name: benchmark, ratio, ci_low,
# ci_high, verdict, threshold (also as written "CI low", "p-value", ...: case, spaces and dashes do not matter).
script_name = "compare"
needed = "benchmark ratio ci_low ci_high verdict threshold"
# Taller for many rows: 26 px a benchmark.
rows = int(system(sprintf("awk 'END { print NR - 1 }' '%s'", data)))
plot_h = rows * 26 + 220 > 450 ? rows * 26 + 220 : 450
load (ARG0[1:strlen(ARG0)-strlen("compare.gp")] . "attnbench-common.gp")

c_bench = colindex("benchmark"); c_ratio = colindex("ratio"); c_lo = colindex("ci_low"); c_hi = colindex("ci_high")
c_verdict = colindex("verdict"); c_tau = colindex("threshold")
metric = hascol("metric") ? colindex("metric") : 0
has_ratio(r) = isnum(column(c_ratio)) && column(c_ratio) > 0
lo(r) = isnum(column(c_lo)) ? column(c_lo) : column(c_ratio)
hi(r) = isnum(column(c_hi)) ? column(c_hi) : column(c_ratio)
tau(r) = isnum(column(c_tau)) ? column(c_tau) : 0
verdict_colour(v) = v eq "regressed" ? 0xD55E00 : v eq "improved" ? 0x009E73 : v eq "inconclusive" ? 0xE69F00 : 0x0072B2

n_valid = 0; last_row = 0; xmin = 1; xmax = 1; metric_name = ""
stats data using (has_ratio(0) ? (n_valid = n_valid + 1, last_row = $0 + 1, xmin = (lo(0) < xmin ? lo(0) : xmin), \
    xmin = (1 - tau(0) < xmin ? 1 - tau(0) : xmin), xmax = (hi(0) > xmax ? hi(0) : xmax), \
    xmax = (1 + tau(0) > xmax ? 1 + tau(0) : xmax), \
    metric_name = (metric > 0 && strlen(metric_name) == 0 ? strcol(metric) : metric_name), 0) : 0) nooutput
if (n_valid == 0) {
    print sprintf("attnbench: %s has no benchmark with a ratio to plot", data)
    @discard
    exit status 1
}

what = strlen(metric_name) > 0 ? metric_name : "median"
set title "Candidate vs baseline: ratio of " . what . " medians with confidence interval" . \
    (strlen(title_extra) > 0 ? " " . title_extra : "") . "\nshaded: the no-change band 1 ± threshold" noenhanced
set xlabel "candidate / baseline (" . (what eq "time" ? "> 1: slower" : what eq "throughput" ? "< 1: slower" : "ratio") . ")"
unset ylabel
pad = (xmax - xmin) * 0.08
set xrange [xmin - pad : xmax + pad]
set yrange [last_row + 0.7 : 0.3]
set ytics nomirror noenhanced font ",10"
set grid noytics
set key outside below center horizontal
set style fill transparent solid 0.25 noborder
set bars 2.0
set arrow 1 from 1, graph 0 to 1, graph 1 nohead lc rgb "#888888" dt 3 back
# Row k of the file (the first after the header is 1) is drawn at y = k, top down; compare writes the rows
# without a ratio last, so they leave no gaps.
plot data using (1):(has_ratio(0) ? $0 + 1 : NaN):(1 - tau(0)):(1 + tau(0)):($0 + 1 - 0.38):($0 + 1 + 0.38) \
        with boxxyerror lc rgb "#9ecae1" title "no-change band", \
     data using (has_ratio(0) ? column(c_ratio) : NaN):($0 + 1):(lo(0)):(hi(0)):\
        (verdict_colour(strcol(c_verdict))):yticlabel(has_ratio(0) ? strcol(c_bench) : "") \
        with xerrorbars lc rgb variable pt 7 ps 1.3 lw 2 notitle, \
     NaN with points pt 7 lc rgb "#D55E00" title "regressed", \
     NaN with points pt 7 lc rgb "#009E73" title "improved", \
     NaN with points pt 7 lc rgb "#0072B2" title "unchanged", \
     NaN with points pt 7 lc rgb "#E69F00" title "inconclusive"

"""#,
        "gflops_vs_seq.gp": #"""
# attnbench plot 2: throughput (GFLOP/s) vs sequence length, with the measured FMA peak (peak_gflops: the
# per-core probe × threads used) as a horizontal roofline for every thread count in the data.
#   gnuplot -e "data='Results/x.csv'; out='gflops_vs_seq.png'" Scripts/gflops_vs_seq.gp
# Optional: term='png'|'svg'|'pdf', title_extra='...'. Reads a results CSV; rows with status ok only.
script_name = "gflops_vs_seq"
needed = "kernel batch heads kv_heads seq_q seq_kv head_dim causal threads pin gflops"
load (ARG0[1:strlen(ARG0)-strlen("gflops_vs_seq.gp")] . "attnbench-common.gp")

xdim = 6
xval(r) = column("seq_kv")
yval(r) = column("gflops")
use(r) = ok(0) && isnum(xval(0)) && isnum(yval(0)) && yval(0) > 0
@collect
@no_rows

# One roofline per thread count: the peak_gflops of an ok row with that many threads (absent column: none).
peaks = ""
peak_threads = ""
if (hascol("peak_gflops")) {
    do for [t in dv8] {
        pk = NaN
        stats data using (use(0) && strcol("threads") eq t && isnum(num("peak_gflops")) ? (pk = column("peak_gflops"), 0) : 0) nooutput
        if (isnum(pk) && pk > 0) { peaks = peaks . " " . sprintf("%g", pk); peak_threads = peak_threads . " " . t }
    }
}
@tabulate

set title make_title("Attention throughput vs sequence length") noenhanced
set xlabel "sequence length N (tokens)"
set ylabel "throughput (GFLOP/s)"
set logscale x 2
set format x "%g"
set yrange [0:*]
set autoscale xfix
set offsets graph 0.04, graph 0.04, graph 0.06, 0
roof_dt(j) = j == 1 ? 1 : 4
roof_title(j) = sprintf("FMA peak, %s thread%s: %s GFLOP/s", word(peak_threads, j), \
    word(peak_threads, j) eq "1" ? "" : "s", word(peaks, j))
plot for [i=1:words(keys)] $D index (i-1) using 1:2 smooth unique with linespoints \
        lt series_lt(i) dt series_dt(i) pt (4 + 2 * ((i - 1) % 7)) title label_of(word(keys, i)), \
     for [j=1:words(peaks)] real(word(peaks, j)) with lines lc rgb "#333333" dt roof_dt(j) lw 2 title roof_title(j)

"""#,
        "heads_sweep.gp": #"""
# attnbench plot 5: median time vs number of query heads at a fixed sequence length, one line per kernel and
# configuration (time should grow linearly with heads: slope 1 on these log-log axes).
#   gnuplot -e "data='Results/x.csv'; out='heads_sweep.png'" Scripts/heads_sweep.gp
# Optional: term='png'|'svg'|'pdf', title_extra='...'. Reads a results CSV; rows with status ok only.
script_name = "heads_sweep"
needed = "kernel batch heads kv_heads seq_q seq_kv head_dim causal threads pin median_ms"
load (ARG0[1:strlen(ARG0)-strlen("heads_sweep.gp")] . "attnbench-common.gp")

xdim = 4
xval(r) = column("heads")
yval(r) = column("median_ms")
use(r) = ok(0) && isnum(xval(0)) && isnum(yval(0)) && yval(0) > 0
@collect
@no_rows
@tabulate

set title make_title("Attention time vs number of heads") noenhanced
set xlabel "query heads"
set ylabel "median time per call (ms)"
set logscale x 2
set logscale y 10
set format x "%g"
set format y "%g"
set autoscale fix
set offsets graph 0.04, graph 0.04, graph 0.08, graph 0.04
plot for [i=1:words(keys)] $D index (i-1) using 1:2 smooth unique with linespoints \
        lt series_lt(i) dt series_dt(i) pt (4 + 2 * ((i - 1) % 7)) title label_of(word(keys, i))

"""#,
        "heatmap.gp": #"""
# attnbench plot 8: one head's attention weights as a heatmap: row i = query position i, column j = key
# position j, colour = softmax weight (each row sums to 1; masked keys are 0). Written by `attnbench heatmap`.
#   gnuplot -e "data='heatmap-causal.csv'; out='heatmap-causal.png'" Scripts/heatmap.gp
# Optional: term='png'|'svg'|'pdf', title_extra='...' (attnbench passes the input and mask).
# Input: a CSV matrix whose first row holds the key labels and whose first column holds the query labels
# (the corner cell is ignored), e.g. "query\key,0 the,1 cat" then "0 the,1,0" and "1 cat,0.4,0.6".
script_name = "heatmap"
needed = ""
if (!exists("plot_w")) plot_w = 900
if (!exists("plot_h")) plot_h = 820
load (ARG0[1:strlen(ARG0)-strlen("heatmap.gp")] . "attnbench-common.gp")

n_keys = words(system(sprintf("head -n 1 '%s' | tr -d '\\r' | awk -F, '{ for (i = 2; i <= NF; i++) printf \"x \" }'", data)))
if (n_keys == 0) {
    print sprintf("attnbench: %s is not a weight matrix (expected a header row of key labels)", data)
    @discard
    exit status 1
}
set title "Attention weights of one head" . (strlen(title_extra) > 0 ? "\n" . title_extra : "") noenhanced
set xlabel "key position j (token attended to)"
set ylabel "query position i (token attending)"
set cblabel "attention weight softmax(q_i·k_j/√d)" noenhanced
set cbrange [0:*]
# White for 0 (masked or ignored) to dark blue for the strongest weights.
set palette defined (0 "#ffffff", 0.15 "#deebf7", 0.35 "#9ecae1", 0.6 "#4292c6", 0.85 "#08519c", 1 "#08306b")
set size ratio -1
set xrange [-0.5 : n_keys - 0.5]
set yrange [] reverse
set autoscale yfix
set tics out nomirror noenhanced
tic_font = n_keys > 32 ? ",7" : ",9"
set xtics rotate by 60 right font tic_font
set ytics font tic_font
set border 15
set grid noxtics noytics nomxtics nomytics
set datafile nocolumnheaders
unset key
plot data matrix columnheaders rowheaders with image pixels

"""#,
        "roofline.gp": #"""
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

"""#,
        "samples.gp": #"""
# attnbench plot 7: the distribution of the timed samples of every benchmark, as a horizontal box plot
# (box: quartiles, line: median, whiskers: min to max) with every sample drawn on top, in percent of that
# benchmark's median so that the noise of a 1 ms kernel and of a 1 s kernel read on one axis. Each label
# gives the median time. Reads the raw samples file that sits beside a results file (<results>-samples.csv).
#   gnuplot -e "data='Results/x-samples.csv'; out='samples.png'" Scripts/samples.gp
# Optional: term='png'|'svg'|'pdf', title_extra='...'.
script_name = "samples"
needed = "kernel batch heads kv_heads seq_q seq_kv head_dim causal threads pin time_ms"
load (ARG0[1:strlen(ARG0)-strlen("samples.gp")] . "attnbench-common.gp")

xdim = 0
yval(r) = column("time_ms")
use(r) = ok(0) && isnum(yval(0)) && yval(0) > 0
@collect
@no_rows
n = words(keys)
# 24 px a benchmark.
plot_h = n * 24 + 200 > 450 ? n * 24 + 200 : 450
@setterm

# Per benchmark: median, quartiles and extremes, as percent of the median, into $S (i, med, q1, q3, min, max).
array med[n]
set print $S
print "i,zero,q1,q3,min,max"
do for [i=1:n] {
    stats data using (use(0) && rowkey(0) eq word(keys, i) ? yval(0) : NaN) nooutput
    med[i] = STATS_median
    print sprintf("%d,%g,%g,%g,%g,%g", i, 0, 100 * (STATS_lo_quartile / med[i] - 1), \
        100 * (STATS_up_quartile / med[i] - 1), 100 * (STATS_min / med[i] - 1), 100 * (STATS_max / med[i] - 1))
}
unset print
msfmt(t) = t >= 100 ? sprintf("%.0f ms", t) : t >= 10 ? sprintf("%.1f ms", t) : t >= 1 ? sprintf("%.2f ms", t) : sprintf("%.3f ms", t)

set title make_title("Timing noise per benchmark") noenhanced
set xlabel "sample time − median (% of the median)"
unset ylabel
set yrange [n + 0.7 : 0.3]
set ytics () nomirror noenhanced font ",10"
do for [i=1:n] { set ytics add (label_of(word(keys, i)) . "  " . msfmt(med[i]) i) }
set grid xtics noytics
set style fill solid 0.35 border
set offsets graph 0.03, graph 0.03, 0, 0
set arrow 1 from 0, graph 0 to 0, graph 1 nohead lc rgb "#888888" dt 3 back
set key outside below center horizontal
rel(i) = use(0) && rowkey(0) eq word(keys, i) ? 100 * (yval(0) / med[i] - 1) : NaN
plot $S using 2:1:5:6 with xerrorbars lc rgb "#0072B2" pt -1 lw 1 title "min to max", \
     $S using (($3 + $4) / 2):1:3:4:($1 - 0.3):($1 + 0.3) with boxxyerror lc rgb "#56B4E9" title "quartiles", \
     $S using 2:1:(0):(0.3) with vectors nohead lc rgb "#0072B2" lw 2 notitle, \
     $S using 2:($1 - 0.3):(0):(0.6) with vectors nohead lc rgb "#0072B2" lw 2 title "median", \
     for [i=1:n] data using (rel(i)):(i + 0.36 * (rand(0) - 0.5)) with points pt 7 ps 0.4 lc rgb "#333333" \
        title (i == 1 ? "samples" : "")

"""#,
        "speedup_vs_seq.gp": #"""
# attnbench plot 3: speedup over the naive kernel (speedup_vs_naive: naive's median / this kernel's, same
# shape and mask) at each sequence length; naive itself is the line at 1.
#   gnuplot -e "data='Results/x.csv'; out='speedup_vs_seq.png'" Scripts/speedup_vs_seq.gp
# Optional: term='png'|'svg'|'pdf', title_extra='...'. Reads a results CSV; rows with status ok only.
script_name = "speedup_vs_seq"
needed = "kernel batch heads kv_heads seq_q seq_kv head_dim causal threads pin speedup_vs_naive"
load (ARG0[1:strlen(ARG0)-strlen("speedup_vs_seq.gp")] . "attnbench-common.gp")

xdim = 6
xval(r) = column("seq_kv")
yval(r) = column("speedup_vs_naive")
use(r) = ok(0) && strcol("kernel") ne "naive" && isnum(xval(0)) && isnum(yval(0)) && yval(0) > 0
@collect
@no_rows
@tabulate

set title make_title("Speedup over naive vs sequence length") noenhanced
set xlabel "sequence length N (tokens)"
set ylabel "speedup over naive (×, same shape and mask)"
set logscale x 2
set logscale y 2
set format x "%g"
set format y "%g×"
set autoscale fix
set offsets graph 0.04, graph 0.04, graph 0.08, graph 0.08
plot for [i=1:words(keys)] $D index (i-1) using 1:2 smooth unique with linespoints \
        lt series_lt(i) dt series_dt(i) pt (4 + 2 * ((i - 1) % 7)) title label_of(word(keys, i)), \
     1 with lines lc rgb "#888888" dt 3 lw 1 title "naive = 1×"

"""#,
        "thread_scaling.gp": #"""
# attnbench plot 4: thread scaling. Left: speedup over the same kernel on one thread (speedup_vs_1t) with the
# ideal line speedup = threads; right: parallel efficiency (speedup / threads) with the ideal 1. One series per
# kernel and pin policy (and whatever else differs); series with a single thread count are left out.
#   gnuplot -e "data='Results/x.csv'; out='thread_scaling.png'" Scripts/thread_scaling.gp
# Optional: term='png'|'svg'|'pdf', title_extra='...'. Reads a results CSV; rows with status ok only.
script_name = "thread_scaling"
needed = "kernel batch heads kv_heads seq_q seq_kv head_dim causal threads pin speedup_vs_1t parallel_efficiency"
load (ARG0[1:strlen(ARG0)-strlen("thread_scaling.gp")] . "attnbench-common.gp")

xdim = 8
xval(r) = column("threads")
yval(r) = column("speedup_vs_1t")
use(r) = ok(0) && isnum(xval(0)) && isnum(yval(0)) && isnum(column("parallel_efficiency"))
@collect
@no_rows
@tabulate
keep = ""
do for [i=1:words(keys)] {
    stats $D index (i-1) using 1 nooutput
    if (STATS_records > 1 && STATS_max > STATS_min) { keep = keep . " " . i }
}
if (words(keep) == 0) {
    print sprintf("attnbench: %s has no kernel measured at two or more thread counts", data)
    @discard
    exit status 1
}
stats $D using 1 nooutput
tmax = STATS_max

set multiplot layout 1, 2 title make_title("Thread scaling") noenhanced
set xlabel "threads"
set format x "%g"
set xrange [0.8:tmax + 0.2]
set xtics 1
if (tmax > 16) { set xtics 4 }
if (tmax > 64) { set xtics 16 }
unset key
set ylabel "speedup over 1 thread (×)"
set yrange [0:tmax * 1.05]
plot for [j=1:words(keep)] $D index (int(word(keep, j))-1) using 1:2 smooth unique with linespoints \
        lt j dt series_dt(int(word(keep, j))) pt (4 + 2 * ((j - 1) % 7)) title label_of(word(keys, int(word(keep, j)))), \
     x with lines lc rgb "#888888" dt 3 lw 1 notitle

yval(r) = column("parallel_efficiency")
set datafile separator ","
set datafile columnheaders
@tabulate
set ylabel "parallel efficiency (speedup / threads)"
set yrange [0:1.15]
set format y "%.1f"
# The legend sits bottom left in the efficiency panel, where efficiency is low at few threads: rarely data.
set key inside bottom left vertical Left reverse noenhanced box opaque samplen 2 maxcols 1
plot for [j=1:words(keep)] $D index (int(word(keep, j))-1) using 1:2 smooth unique with linespoints \
        lt j dt series_dt(int(word(keep, j))) pt (4 + 2 * ((j - 1) % 7)) title label_of(word(keys, int(word(keep, j)))), \
     1 with lines lc rgb "#888888" dt 3 lw 1 title "ideal (speedup = threads, efficiency = 1)"
unset multiplot

"""#,
        "time_vs_seq.gp": #"""
# attnbench plot 1: median time vs sequence length, log-log, one line per kernel and configuration,
# with an O(N²) guide line through the first point of the first series (usually naive).
#   gnuplot -e "data='Results/x.csv'; out='time_vs_seq.png'" Scripts/time_vs_seq.gp
# Optional: term='png'|'svg'|'pdf', title_extra='...'. Reads a results CSV; rows with status ok only.
script_name = "time_vs_seq"
needed = "kernel batch heads kv_heads seq_q seq_kv head_dim causal threads pin median_ms"
load (ARG0[1:strlen(ARG0)-strlen("time_vs_seq.gp")] . "attnbench-common.gp")

xdim = 6
xval(r) = column("seq_kv")
yval(r) = column("median_ms")
use(r) = ok(0) && isnum(xval(0)) && isnum(yval(0)) && yval(0) > 0
@collect
@no_rows
@tabulate

# The guide: t(N) = t0 · (N / N0)², anchored on the first series' shortest sequence.
x0 = 1e300; y0 = NaN
stats $D index 0 using ($1 < x0 ? (x0 = $1, y0 = $2) : 0, 0) nooutput
guide(x) = y0 * (x / x0)**2

set title make_title("Attention time vs sequence length") noenhanced
set xlabel "sequence length N (tokens)"
set ylabel "median time per call (ms)"
set logscale xy 2
set logscale y 10
set format x "%g"
set format y "%g"
set mxtics default
set autoscale fix
set offsets graph 0.04, graph 0.04, graph 0.08, graph 0.04
plot for [i=1:words(keys)] $D index (i-1) using 1:2 smooth unique with linespoints \
        lt series_lt(i) dt series_dt(i) pt (4 + 2 * ((i - 1) % 7)) title label_of(word(keys, i)), \
     guide(x) with lines lc rgb "#888888" dt 3 lw 1 title "O(N²) guide"

"""#,
    ]
}
