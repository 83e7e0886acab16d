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
