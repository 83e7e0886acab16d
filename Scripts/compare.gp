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
