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
