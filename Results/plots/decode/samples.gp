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
