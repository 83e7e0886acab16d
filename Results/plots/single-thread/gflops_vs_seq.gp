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
