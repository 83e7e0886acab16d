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
