#!/bin/sh
# The gnuplot command lines attnbench ran to draw the images in this folder.
set -e
gnuplot -e 'data='\''/work/wt-int/Results/readme-peers.csv'\''; out='\''/work/wt-int/Results/plots/peers/thread_scaling.png'\''; term='\''png'\''' /work/wt-int/Results/plots/peers/thread_scaling.gp
gnuplot -e 'data='\''/work/wt-int/Results/readme-peers.csv'\''; out='\''/work/wt-int/Results/plots/peers/roofline.png'\''; term='\''png'\''' /work/wt-int/Results/plots/peers/roofline.gp
gnuplot -e 'data='\''/work/wt-int/Results/readme-peers-samples.csv'\''; out='\''/work/wt-int/Results/plots/peers/samples.png'\''; term='\''png'\''' /work/wt-int/Results/plots/peers/samples.gp
