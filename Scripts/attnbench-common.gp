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
# Shapes are split into dimensions 1..10: kernel, causal, batch, heads, kv_heads, seq, head_dim, threads, pin,
# format (dtype, and kv_dtype where it differs; f32 for files from before the format columns).
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
ndim = 10
dimcol(d) = word("kernel causal batch heads kv_heads seq head_dim threads pin format", d)
# The storage formats of a row: Q and O's, and K and V's (the same unless the file says otherwise).
fmt_q(r) = hascol("dtype") ? (strlen(strcol("dtype")) > 0 ? strcol("dtype") : "f32") : "f32"
fmt_kv(r) = hascol("kv_dtype") ? (strlen(strcol("kv_dtype")) > 0 ? strcol("kv_dtype") : fmt_q(r)) : fmt_q(r)
fmt(r) = fmt_q(r) eq fmt_kv(r) ? fmt_q(r) : fmt_q(r) . "/kv:" . fmt_kv(r)
# The raw value of dimension d in this row; kv_heads is "-" when equal to heads (plain multi-head attention),
# seq is the key length, with the query length in front when it differs ("1:4096" for one decode step).
raw(d) = d == 10 ? fmt(0) : d == 1 ? strcol("kernel") : d == 2 ? strcol("causal") : d == 5 ? \
    (strcol("kv_heads") eq strcol("heads") ? "-" : strcol("kv_heads")) : d == 6 ? \
    (strcol("seq_q") eq strcol("seq_kv") ? strcol("seq_kv") : strcol("seq_q") . ":" . strcol("seq_kv")) : \
    strcol(dimcol(d))
# Along x the seq dimension keeps only whether it is self-attention.
part(d) = d != xdim ? raw(d) : (d == 6 && strcol("seq_q") ne strcol("seq_kv") ? "q" . strcol("seq_q") : "*")
rowkey(r) = part(1) . "|" . part(2) . "|" . part(3) . "|" . part(4) . "|" . part(5) . "|" . part(6) . "|" \
    . part(7) . "|" . part(8) . "|" . part(9) . "|" . part(10)
# How a dimension's value reads in a legend or title.
pretty(d, v) = v eq "*" || v eq "-" ? "" : d == 1 ? v : d == 2 ? (v eq "true" ? "causal" : "no mask") : \
    d == 3 ? "batch " . v : d == 4 ? v . " heads" : d == 5 ? v . " kv-heads" : \
    d == 6 ? (v[1:1] eq "q" ? "q-len " . v[2:] : strstrt(v, ":") > 0 ? "Nq " . v[1:strstrt(v, ":")-1] . " Nk " . v[strstrt(v, ":")+1:] : "N=" . v) : \
    d == 7 ? "d=" . v : d == 8 ? v . (v eq "1" ? " thread" : " threads") : \
    d == 10 ? (strstrt(v, "/kv:") > 0 ? v[1:strstrt(v, "/kv:")-1] . ", K/V " . v[strstrt(v, "/kv:")+4:] : v) : \
    (v eq "none" ? "unpinned" : "pin " . v)
joined(a, b) = strlen(a) == 0 ? b : strlen(b) == 0 ? a : a . ", " . b

# Collects the series: every row passing use(0) adds its key to `keys` and its values to the dimension lists.
# A script defines use(0) (usually ok(0) plus valid x and y values) and xdim before calling this macro.
collect = "keys = ''; dv1 = ''; dv2 = ''; dv3 = ''; dv4 = ''; dv5 = ''; dv6 = ''; dv7 = ''; dv8 = ''; dv9 = ''; dv10 = ''; machine = ''; \
    stats data using (use(0) ? (keys = addto(keys, rowkey(0)), dv1 = addto(dv1, part(1)), dv2 = addto(dv2, part(2)), \
    dv3 = addto(dv3, part(3)), dv4 = addto(dv4, part(4)), dv5 = addto(dv5, part(5)), dv6 = addto(dv6, part(6)), \
    dv7 = addto(dv7, part(7)), dv8 = addto(dv8, part(8)), dv9 = addto(dv9, part(9)), dv10 = addto(dv10, part(10)), \
    machine = (strlen(machine) > 0 ? machine : machine_of_row(0)), 0) : 0) nooutput"
machine_of_row(r) = hascol("cpu_model") ? strcol("cpu_model") . \
    (hascol("host") ? " (" . strcol("host") . (hascol("cores") ? ", " . strcol("cores") . " cores" : "") . ")" : "") : \
    hascol("host") ? "host " . strcol("host") : ""
dvals(d) = d == 1 ? dv1 : d == 2 ? dv2 : d == 3 ? dv3 : d == 4 ? dv4 : d == 5 ? dv5 : d == 6 ? dv6 : d == 7 ? dv7 : d == 8 ? dv8 : \
    d == 9 ? dv9 : dv10
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
