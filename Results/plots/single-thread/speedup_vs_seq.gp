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
