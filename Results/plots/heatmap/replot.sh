#!/bin/sh
# The gnuplot command lines attnbench ran to draw the images in this folder; paths are relative to it.
set -e
cd "$(dirname "$0")"
gnuplot -e 'data='\''heatmap-full.csv'\''; out='\''heatmap-full.png'\''; term='\''png'\''; title_extra='\''24 tokens, d=32, no mask; induction-style head'\''' ../../../Scripts/heatmap.gp
gnuplot -e 'data='\''heatmap-causal.csv'\''; out='\''heatmap-causal.png'\''; term='\''png'\''; title_extra='\''24 tokens, d=32, causal mask (query i sees keys j ≤ i); induction-style head'\''' ../../../Scripts/heatmap.gp
