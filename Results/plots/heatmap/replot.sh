#!/bin/sh
# The gnuplot command lines attnbench ran to draw the images in this folder.
set -e
gnuplot -e 'data='\''/work/main/Results/plots/heatmap/heatmap-full.csv'\''; out='\''/work/main/Results/plots/heatmap/heatmap-full.png'\''; term='\''png'\''; title_extra='\''24 tokens, d=32, no mask; induction-style head'\''' /work/main/Results/plots/heatmap/heatmap.gp
gnuplot -e 'data='\''/work/main/Results/plots/heatmap/heatmap-causal.csv'\''; out='\''/work/main/Results/plots/heatmap/heatmap-causal.png'\''; term='\''png'\''; title_extra='\''24 tokens, d=32, causal mask (query i sees keys j ≤ i); induction-style head'\''' /work/main/Results/plots/heatmap/heatmap.gp
