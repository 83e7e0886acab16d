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
